// Events of SGLang's native /generate (spec/protocols.md §5.2, §6.2): `text` (cumulative unless
// the server streams increments) and `meta_info` with the counts and the finish reason.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;
using simdjson::ondemand::raw_json_string;

namespace {

error_code ReadMetaInfo(JsonValue result, EventFacts& facts) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != json_type::object) return SUCCESS;
  simdjson::ondemand::object meta;
  if (auto error = value.get_object().get(meta)) return error;
  for (auto field : meta) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "id") {
      error = ReadOptionalString(field.value(), &facts.id);
    } else if (key == "finish_reason") {
      error = ReadFinishReason(field.value(), &facts.finish_reason);
    } else if (key == "prompt_tokens") {
      error = ReadOptionalInt(field.value(), &facts.prompt_tokens);
    } else if (key == "completion_tokens") {
      error = ReadOptionalInt(field.value(), &facts.completion_tokens);
    } else if (key == "cached_tokens") {
      error = ReadOptionalInt(field.value(), &facts.cached_tokens);
    } else if (key == "spec_accept_length") {
      simdjson::ondemand::value number;
      if ((error = field.value().get(number))) return error;
      json_type type;
      if ((error = number.type().get(type))) return error;
      if (type == json_type::number) {
        double length;
        if ((error = number.get_double().get(length))) return error;
        facts.spec_accept_length = length;
      }
    }
    if (error) return error;
  }
  facts.has_usage = facts.prompt_tokens || facts.completion_tokens;
  facts.counter = facts.completion_tokens;
  return SUCCESS;
}

}  // namespace

error_code ReadNativeEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  for (auto field : root) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "text") {
      error = ReadOptionalString(field.value(), &facts.text);
    } else if (key == "meta_info") {
      error = ReadMetaInfo(field.value(), facts);
    } else if (key == "error") {
      error = ReadError(field.value(), facts);
    }
    if (error) return error;
  }
  return SUCCESS;
}

}  // namespace servebench::protocol
