// Events of TGI's /generate_stream and /generate (spec/protocols.md §5.2, §6.5): one `token` per
// event (`index` counts them), `generated_text` and `details` on the last event or the body.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

error_code ReadToken(JsonValue token, EventFacts& facts) {
  return ForEachField(token, [&](Key key, Field& field) {
    facts.has_token = true;
    if (key == "text") return ReadOptionalString(field.value(), &facts.text);
    if (key == "special") return ReadOptionalBool(field.value(), &facts.special_token);
    return SUCCESS;
  });
}

error_code ReadDetails(JsonValue details, EventFacts& facts) {
  error_code error = ForEachField(details, [&](Key key, Field& field) {
    if (key == "finish_reason") return ReadFinishReason(field.value(), &facts.finish_reason);
    if (key == "generated_tokens") return ReadOptionalInt(field.value(), &facts.completion_tokens);
    if (key == "input_length") return ReadOptionalInt(field.value(), &facts.prompt_tokens);
    return SUCCESS;
  });
  facts.has_usage = facts.prompt_tokens || facts.completion_tokens;
  return error;
}

}  // namespace

error_code ReadTgiEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  return ForEachField(root, [&](Key key, Field& field) {
    if (key == "index") return ReadOptionalInt(field.value(), &facts.counter);
    if (key == "token") return ReadToken(field.value(), facts);
    if (key == "generated_text") {
      return ReadOptionalString(field.value(), &facts.generated_text, &facts.has_generated_text);
    }
    if (key == "details") return ReadDetails(field.value(), facts);
    if (key == "error") return ReadError(field.value(), facts);
    if (key == "error_type") return ReadOptionalString(field.value(), &facts.error_type);
    return SUCCESS;
  });
}

}  // namespace servebench::protocol
