// Events of the Triton generate extension (spec/protocols.md §5.2, §6.4): `text_output` only;
// no finish reason, no counts, no [DONE].
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::raw_json_string;

error_code ReadTrtEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  for (auto field : root) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "text_output") {
      error = ReadOptionalString(field.value(), &facts.text);
    } else if (key == "error") {
      error = ReadError(field.value(), facts);
    }
    if (error) return error;
  }
  return SUCCESS;
}

}  // namespace servebench::protocol
