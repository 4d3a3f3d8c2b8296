// Events of SGLang's native /generate (spec/protocols.md §5.2, §6.2): `text` (cumulative unless
// the server streams increments) and `meta_info` with the counts and the finish reason.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

error_code ReadMetaInfo(JsonValue meta_info, EventFacts& facts) {
  error_code error = ForEachField(meta_info, [&](Key key, Field& field) {
    if (key == "id") return ReadStringIfString(field.value(), &facts.id);
    if (key == "finish_reason") return ReadFinishReason(field.value(), &facts.finish_reason);
    if (key == "prompt_tokens") return ReadOptionalInt(field.value(), &facts.prompt_tokens);
    if (key == "completion_tokens") return ReadOptionalInt(field.value(), &facts.completion_tokens);
    if (key == "cached_tokens") return ReadOptionalInt(field.value(), &facts.cached_tokens);
    if (key == "spec_accept_length") {
      return ReadOptionalDouble(field.value(), &facts.spec_accept_length);
    }
    return SUCCESS;
  });
  facts.has_usage = facts.prompt_tokens || facts.completion_tokens;
  facts.counter = facts.completion_tokens;
  return error;
}

}  // namespace

error_code ReadNativeEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  return ForEachField(root, [&](Key key, Field& field) {
    if (key == "text") return ReadOptionalString(field.value(), &facts.text);
    if (key == "meta_info") return ReadMetaInfo(field.value(), facts);
    if (key == "error") return ReadError(field.value(), facts);
    return SUCCESS;
  });
}

}  // namespace servebench::protocol
