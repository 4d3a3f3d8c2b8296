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
  has_cached_details = false;
  cached_device = cached_host = cached_storage = 0;
  cached_storage_backend = {};
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

namespace {

// The value if it has the given type, else nullopt (with no error).
simdjson::simdjson_result<std::optional<simdjson::ondemand::value>> ValueOfType(JsonValue result,
                                                                                json_type wanted) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != wanted) return std::optional<simdjson::ondemand::value>();
  return std::optional<simdjson::ondemand::value>(value);
}

}  // namespace

error_code ReadOptionalDouble(JsonValue result, std::optional<double>* out) {
  std::optional<simdjson::ondemand::value> value;
  if (auto error = ValueOfType(result, json_type::number).get(value)) return error;
  if (!value) return SUCCESS;
  double number;
  if (auto error = value->get_double().get(number)) return error;
  *out = number;
  return SUCCESS;
}

error_code ReadStringIfString(JsonValue result, std::string_view* out) {
  std::optional<simdjson::ondemand::value> value;
  if (auto error = ValueOfType(result, json_type::string).get(value)) return error;
  return value ? value->get_string().get(*out) : SUCCESS;
}

error_code ReadOptionalBool(JsonValue result, bool* out) {
  std::optional<simdjson::ondemand::value> value;
  if (auto error = ValueOfType(result, json_type::boolean).get(value)) return error;
  return value ? value->get_bool().get(*out) : SUCCESS;
}

error_code ReadFinishReason(JsonValue result, std::string_view* out) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::string) return value.get_string().get(*out);
  // SGLang's object form {"type": ...}; null (or a shape we do not know) is none.
  return ForEachField(JsonValue(std::move(value)), [&](Key key, Field& field) {
    return key == "type" ? ReadOptionalString(field.value(), out) : SUCCESS;
  });
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
  return ForEachField(JsonValue(std::move(value)), [&](Key key, Field& field) {
    if (key == "message") return ReadOptionalString(field.value(), &facts.error_message);
    if (key == "type") return ReadOptionalString(field.value(), &facts.error_type);
    if (key == "code" || key == "http_status_code")
      return ReadCode(field.value(), facts.error_code);
    return SUCCESS;
  });
}

}  // namespace servebench::protocol
