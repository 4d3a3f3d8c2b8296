// Events of the completions and chat styles (spec/protocols.md §5.2): `choices[0]` carries
// `text` (completions) or `delta` (chat chunks) / `message` (a whole chat body); `usage` may
// ride on any event; entries whose `index` is not 0 are ignored.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;
using simdjson::ondemand::raw_json_string;

namespace {

struct ChoiceFields {
  std::optional<int64_t> index;
  std::string_view text;
  std::string_view content;
  std::string_view reasoning_content;
  std::string_view reasoning;
  std::string_view finish_reason;
};

// tool_calls: [{"index":0,"id":...,"type":"function","function":{"name":...,"arguments":...}}]
error_code ReadToolCalls(JsonValue result, std::string& scratch) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != json_type::array) return SUCCESS;
  simdjson::ondemand::array calls;
  if (auto error = value.get_array().get(calls)) return error;
  for (auto call_result : calls) {
    simdjson::ondemand::object call;
    if (auto error = call_result.get_object().get(call)) return error;
    for (auto field : call) {
      raw_json_string key;
      if (auto error = field.key().get(key)) return error;
      if (!(key == "function")) continue;
      simdjson::ondemand::value function_value;
      if (auto error = field.value().get(function_value)) return error;
      if (auto error = function_value.type().get(type)) return error;
      if (type != json_type::object) continue;
      simdjson::ondemand::object function;
      if (auto error = function_value.get_object().get(function)) return error;
      for (auto part : function) {
        raw_json_string part_key;
        if (auto error = part.key().get(part_key)) return error;
        if (part_key == "name" || part_key == "arguments") {
          std::string_view text;
          if (auto error = ReadOptionalString(part.value(), &text)) return error;
          scratch.append(text);
        }
      }
    }
  }
  return SUCCESS;
}

// `delta` of a chunk or `message` of a whole chat body.
error_code ReadMessage(JsonValue result, ChoiceFields& choice, std::string& scratch) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::null) return SUCCESS;
  simdjson::ondemand::object message;
  if (auto error = value.get_object().get(message)) return error;
  for (auto field : message) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "content") {
      error = ReadOptionalString(field.value(), &choice.content);
    } else if (key == "reasoning_content") {
      error = ReadOptionalString(field.value(), &choice.reasoning_content);
    } else if (key == "reasoning") {
      error = ReadOptionalString(field.value(), &choice.reasoning);
    } else if (key == "tool_calls") {
      error = ReadToolCalls(field.value(), scratch);
    }
    if (error) return error;
  }
  return SUCCESS;
}

error_code ReadChoices(JsonValue result, bool stream, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == json_type::null) return SUCCESS;
  simdjson::ondemand::array choices;
  if (auto error = value.get_array().get(choices)) return error;
  for (auto choice_result : choices) {
    facts.has_choices = true;
    simdjson::ondemand::object object;
    if (auto error = choice_result.get_object().get(object)) return error;
    ChoiceFields choice;
    size_t scratch_before = impl.tool_scratch.size();
    for (auto field : object) {
      raw_json_string key;
      if (auto error = field.key().get(key)) return error;
      error_code error = SUCCESS;
      if (key == "index") {
        error = ReadOptionalInt(field.value(), &choice.index);
      } else if (key == "text") {
        error = ReadOptionalString(field.value(), &choice.text);
      } else if (key == (stream ? "delta" : "message")) {
        error = ReadMessage(field.value(), choice, impl.tool_scratch);
      } else if (key == "finish_reason") {
        error = ReadFinishReason(field.value(), &choice.finish_reason);
      }
      if (error) return error;
    }
    if (choice.index.value_or(0) != 0) {
      facts.other_choice_index = true;
      impl.tool_scratch.resize(scratch_before);
      continue;
    }
    // A completions choice has `text`, a chat choice `content`; never both.
    facts.text = choice.text.empty() ? choice.content : choice.text;
    facts.reasoning =
        choice.reasoning_content.empty() ? choice.reasoning : choice.reasoning_content;
    if (!choice.finish_reason.empty()) facts.finish_reason = choice.finish_reason;
  }
  facts.tool_text = impl.tool_scratch;
  return SUCCESS;
}

error_code ReadUsage(JsonValue result, EventFacts& facts) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != json_type::object) return SUCCESS;  // null
  simdjson::ondemand::object usage;
  if (auto error = value.get_object().get(usage)) return error;
  facts.has_usage = true;
  for (auto field : usage) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "prompt_tokens") {
      error = ReadOptionalInt(field.value(), &facts.prompt_tokens);
    } else if (key == "completion_tokens") {
      error = ReadOptionalInt(field.value(), &facts.completion_tokens);
    }
    if (error) return error;
  }
  facts.counter = facts.completion_tokens;
  return SUCCESS;
}

}  // namespace

error_code ReadOpenAiEvent(simdjson::ondemand::object root, bool stream, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  impl.tool_scratch.clear();
  for (auto field : root) {
    raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    error_code error = SUCCESS;
    if (key == "choices") {
      error = ReadChoices(field.value(), stream, impl);
    } else if (key == "usage") {
      error = ReadUsage(field.value(), facts);
    } else if (key == "error") {
      error = ReadError(field.value(), facts);
    } else if (key == "id") {
      simdjson::ondemand::value value;
      if ((error = field.value().get(value))) return error;
      json_type type;
      if ((error = value.type().get(type))) return error;
      if (type == json_type::string) error = value.get_string().get(facts.id);
    }
    if (error) return error;
  }
  return SUCCESS;
}

}  // namespace servebench::protocol
