// Field readers shared by the per-style event readers.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;

void EventFacts::Clear() {
  // Field by field: the event path must not construct or free a std::string.
  text = tool_text = reasoning = finish_reason = id = {};
  has_choices = other_choice_index = has_usage = false;
  prompt_tokens = completion_tokens = counter = cached_tokens = std::nullopt;
  spec_accept_length = std::nullopt;
  has_token = special_token = has_generated_text = false;
  generated_text = {};
  error = false;
  error_message = error_type = {};
  error_code.clear();
}

error_code ReadOptionalString(JsonValue result, std::string_view* out, bool* present) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::null) return SUCCESS;
  if (present) *present = true;
  return value.get_string().get(*out);
}

error_code ReadOptionalInt(JsonValue result, std::optional<int64_t>* out) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::null) return SUCCESS;
  int64_t number;
  if (auto error = value.get_int64().get(number)) return error;
  *out = number;
  return SUCCESS;
}

error_code ReadFinishReason(JsonValue result, std::string_view* out) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::string) return value.get_string().get(*out);
  if (type != json_type::object) return SUCCESS;  // null (or a shape we do not know)
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) return error;
  for (auto field : object) {
    simdjson::ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    if (key == "type") {
      if (auto error = ReadOptionalString(field.value(), out)) return error;
    }
  }
  return SUCCESS;
}

namespace {

error_code ReadCode(JsonValue result, std::string& out) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return error;
    out.assign(text);
  } else if (type == json_type::number) {
    std::string_view raw = value.raw_json_token();
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
      raw.remove_suffix(1);
    }
    out.assign(raw);
  }
  return SUCCESS;
}

}  // namespace

error_code ReadError(JsonValue result, EventFacts& facts) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::null) return SUCCESS;
  facts.error = true;
  if (type == json_type::string) return value.get_string().get(facts.error_message);
  if (type != json_type::object) return SUCCESS;
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) return error;
  for (auto field : object) {
    simdjson::ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "message") {
      error = ReadOptionalString(field.value(), &facts.error_message);
    } else if (key == "type") {
      error = ReadOptionalString(field.value(), &facts.error_type);
    } else if (key == "code" || key == "http_status_code") {
      error = ReadCode(field.value(), facts.error_code);
    }
    if (error) return error;
  }
  return SUCCESS;
}

}  // namespace servebench::protocol
