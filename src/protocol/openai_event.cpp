// Events of the completions and chat styles (spec/protocols.md §5.2): `choices[0]` carries
// `text` (completions) or `delta` (chat chunks) / `message` (a whole chat body); `usage` may
// ride on any event; entries whose `index` is not 0 are ignored.
#include "protocol/event_facts.h"

namespace servebench::protocol {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::json_type;

namespace {

struct ChoiceFields {
  std::optional<int64_t> index;
  std::string_view text;
  std::string_view content;
  std::string_view reasoning_content;
  std::string_view reasoning;
  std::string_view finish_reason;
};

// The elements of an array value (null or another type: none).
template <typename OnElement>
error_code ForEachElement(JsonValue result, OnElement&& on_element) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != json_type::array) return SUCCESS;
  simdjson::ondemand::array array;
  if (auto error = value.get_array().get(array)) return error;
  for (auto element : array) {
    if (auto error = on_element(element)) return error;
  }
  return SUCCESS;
}

// tool_calls: [{"index":0,"id":...,"type":"function","function":{"name":...,"arguments":...}}]
error_code ReadToolCalls(JsonValue tool_calls, std::string& scratch) {
  return ForEachElement(tool_calls, [&](JsonValue call) {
    return ForEachField(call, [&](Key key, Field& function) {
      if (!(key == "function")) return SUCCESS;
      return ForEachField(function.value(), [&](Key part, Field& text_value) {
        if (!(part == "name") && !(part == "arguments")) return SUCCESS;
        std::string_view text;
        if (auto error = ReadOptionalString(text_value.value(), &text)) return error;
        scratch.append(text);
        return SUCCESS;
      });
    });
  });
}

// `delta` of a chunk or `message` of a whole chat body.
error_code ReadMessage(JsonValue message, ChoiceFields& choice, std::string& scratch) {
  return ForEachField(message, [&](Key key, Field& field) {
    if (key == "content") return ReadOptionalString(field.value(), &choice.content);
    if (key == "reasoning_content")
      return ReadOptionalString(field.value(), &choice.reasoning_content);
    if (key == "reasoning") return ReadOptionalString(field.value(), &choice.reasoning);
    if (key == "tool_calls") return ReadToolCalls(field.value(), scratch);
    return SUCCESS;
  });
}

error_code ReadChoices(JsonValue choices, bool stream, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  error_code error = ForEachElement(choices, [&](JsonValue element) {
    facts.has_choices = true;
    simdjson::ondemand::object object;
    if (auto error = element.get_object().get(object)) return error;
    ChoiceFields choice;
    size_t scratch_before = impl.tool_scratch.size();
    auto error = ForEachField(object, [&](Key key, Field& field) {
      if (key == "index") return ReadOptionalInt(field.value(), &choice.index);
      if (key == "text") return ReadOptionalString(field.value(), &choice.text);
      if (key == (stream ? "delta" : "message")) {
        return ReadMessage(field.value(), choice, impl.tool_scratch);
      }
      if (key == "finish_reason") return ReadFinishReason(field.value(), &choice.finish_reason);
      return SUCCESS;
    });
    if (error) return error;
    if (choice.index.value_or(0) != 0) {
      facts.other_choice_index = true;
      impl.tool_scratch.resize(scratch_before);
      return SUCCESS;
    }
    // A completions choice has `text`, a chat choice `content`; never both.
    facts.text = choice.text.empty() ? choice.content : choice.text;
    facts.reasoning =
        choice.reasoning_content.empty() ? choice.reasoning : choice.reasoning_content;
    if (!choice.finish_reason.empty()) facts.finish_reason = choice.finish_reason;
    return SUCCESS;
  });
  facts.tool_text = impl.tool_scratch;
  return error;
}

error_code ReadUsage(JsonValue usage, EventFacts& facts) {
  return ForEachField(usage, [&](Key key, Field& field) {
    facts.has_usage = true;
    if (key == "prompt_tokens") return ReadOptionalInt(field.value(), &facts.prompt_tokens);
    if (key == "completion_tokens") {
      if (auto error = ReadOptionalInt(field.value(), &facts.completion_tokens)) return error;
      facts.counter = facts.completion_tokens;
    }
    return SUCCESS;
  });
}

// sglext: {"cached_tokens_details": {"device": N, "host": N[, "storage": N,
// "storage_backend": "…"]}} (SGLang, asked with return_cached_tokens_details).
error_code ReadSglext(JsonValue sglext, EventFacts& facts) {
  return ForEachField(sglext, [&](Key key, Field& field) {
    if (!(key == "cached_tokens_details")) return SUCCESS;
    return ForEachField(field.value(), [&](Key name, Field& count) {
      facts.has_cached_details = true;
      std::optional<int64_t> value;
      if (name == "storage_backend") {
        return ReadOptionalString(count.value(), &facts.cached_storage_backend);
      }
      int64_t* target = name == "device"    ? &facts.cached_device
                        : name == "host"    ? &facts.cached_host
                        : name == "storage" ? &facts.cached_storage
                                            : nullptr;
      if (target == nullptr) return SUCCESS;
      if (auto error = ReadOptionalInt(count.value(), &value)) return error;
      *target = value.value_or(0);
      return SUCCESS;
    });
  });
}

}  // namespace

error_code ReadOpenAiEvent(simdjson::ondemand::object root, bool stream, JsonParser::Impl& impl) {
  EventFacts& facts = impl.facts;
  impl.tool_scratch.clear();
  return ForEachField(root, [&](Key key, Field& field) {
    if (key == "choices") return ReadChoices(field.value(), stream, impl);
    if (key == "usage") return ReadUsage(field.value(), facts);
    if (key == "error") return ReadError(field.value(), facts);
    if (key == "id") return ReadStringIfString(field.value(), &facts.id);
    if (key == "sglext") return ReadSglext(field.value(), facts);
    return SUCCESS;
  });
}

}  // namespace servebench::protocol
