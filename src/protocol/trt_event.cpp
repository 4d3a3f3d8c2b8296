// Events of the Triton generate extension (spec/protocols.md §5.2, §6.4): `text_output` only;
// no finish reason, no counts, no [DONE].
#include "protocol/event_facts.h"

namespace servebench::protocol {

simdjson::error_code ReadTrtEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  return ForEachField(root, [&](Key key, Field& field) {
    if (key == "text_output") return ReadOptionalString(field.value(), &facts.text);
    if (key == "error") return ReadError(field.value(), facts);
    return simdjson::SUCCESS;
  });
}

}  // namespace servebench::protocol
