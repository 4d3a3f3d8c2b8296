// Events of TGI's /generate_stream and /generate (spec/protocols.md §5.2, §6.5): one `token` per
// event (`index` counts them), `generated_text` and `details` on the last event or the body.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;
using simdjson::ondemand::raw_json_string;

namespace {

error_code ReadObject(JsonValue result, simdjson::ondemand::object* object, bool* present) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  *present = type == json_type::object;
  if (!*present) return SUCCESS;
  return value.get_object().get(*object);
}

error_code ReadToken(JsonValue result, EventFacts& facts) {
  simdjson::ondemand::object token;
  if (auto error = ReadObject(result, &token, &facts.has_token)) return error;
  if (!facts.has_token) return SUCCESS;
  for (auto field : token) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "text") {
      error = ReadOptionalString(field.value(), &facts.text);
    } else if (key == "special") {
      simdjson::ondemand::value value;
      if ((error = field.value().get(value))) return error;
      json_type type;
      if ((error = value.type().get(type))) return error;
      if (type == json_type::boolean) error = value.get_bool().get(facts.special_token);
    }
    if (error) return error;
  }
  return SUCCESS;
}

error_code ReadDetails(JsonValue result, EventFacts& facts) {
  simdjson::ondemand::object details;
  bool present = false;
  if (auto error = ReadObject(result, &details, &present)) return error;
  if (!present) return SUCCESS;
  for (auto field : details) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "finish_reason") {
      error = ReadFinishReason(field.value(), &facts.finish_reason);
    } else if (key == "generated_tokens") {
      error = ReadOptionalInt(field.value(), &facts.completion_tokens);
    } else if (key == "input_length") {
      error = ReadOptionalInt(field.value(), &facts.prompt_tokens);
    }
    if (error) return error;
  }
  facts.has_usage = facts.prompt_tokens || facts.completion_tokens;
  return SUCCESS;
}

}  // namespace

error_code ReadTgiEvent(simdjson::ondemand::object root, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  for (auto field : root) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "index") {
      error = ReadOptionalInt(field.value(), &facts.counter);
    } else if (key == "token") {
      error = ReadToken(field.value(), facts);
    } else if (key == "generated_text") {
      error = ReadOptionalString(field.value(), &facts.generated_text, &facts.has_generated_text);
    } else if (key == "details") {
      error = ReadDetails(field.value(), facts);
    } else if (key == "error") {
      error = ReadError(field.value(), facts);
    } else if (key == "error_type") {
      error = ReadOptionalString(field.value(), &facts.error_type);
    }
    if (error) return error;
  }
  return SUCCESS;
}

}  // namespace servebench::protocol
