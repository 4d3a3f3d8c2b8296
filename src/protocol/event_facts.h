// Internal to protocol/: what one event's JSON says, read by a per-style function
// (openai_event.cpp, native_event.cpp, trt_event.cpp, tgi_event.cpp) and interpreted by
// StreamReader (stream_reader.cpp), which alone knows delta vs cumulative, predicates and counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "protocol/stream_reader.h"

namespace servebench::protocol {

// A field's value as the iteration hands it over (an error travels inside it).
using JsonValue = simdjson::simdjson_result<simdjson::ondemand::value>;

struct EventFacts {
  // Views point into the parser's string buffer or into the scratch strings below and are
  // valid until the next event is parsed.
  std::string_view text;       // completions text, chat content, native text, trt text_output,
                               // tgi token.text
  std::string_view tool_text;  // chat tool-call names and arguments, concatenated
  std::string_view reasoning;  // chat reasoning_content, else reasoning
  std::string_view finish_reason;
  std::string_view id;
  bool has_choices = false;  // completions/chat: a non-empty `choices` array
  bool other_choice_index = false;
  bool has_usage = false;
  std::optional<int64_t> prompt_tokens;
  std::optional<int64_t> completion_tokens;
  std::optional<int64_t> counter;  // cumulative generated-token counter on this event
  std::optional<int64_t> cached_tokens;
  // SGLang's OpenAI routes: sglext.cached_tokens_details (absent counts are 0).
  bool has_cached_details = false;
  int64_t cached_device = 0, cached_host = 0, cached_storage = 0;
  std::string_view cached_storage_backend;
  std::optional<double> spec_accept_length;
  // tgi
  bool has_token = false;
  bool special_token = false;
  bool has_generated_text = false;
  std::string_view generated_text;
  // error (top-level "error" key)
  bool error = false;
  std::string_view error_message;
  std::string_view error_type;
  std::string error_code;  // an int or a string in the wire format

  void Clear();
};

struct JsonParser::Impl {
  simdjson::ondemand::parser parser;
  EventFacts facts;
  std::string tool_scratch;
  std::string unescaped;  // the fast path's unescaped strings; grows to the largest event
};

// Each reads a document's root object into impl.facts. A non-success code means the event is
// malformed (wrong type where the style needs an object, invalid JSON or UTF-8).
// `stream` chooses between chunk (`delta`) and whole-body (`message`) shapes where they differ.
simdjson::error_code ReadOpenAiEvent(simdjson::ondemand::object root, bool stream,
                                     JsonParser::Impl& impl);
simdjson::error_code ReadNativeEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);
simdjson::error_code ReadTrtEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);
simdjson::error_code ReadTgiEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);

// The same facts as ReadOpenAiEvent for events of the common shape, read without simdjson
// (openai_fast_event.cpp). False: not that shape (facts then undefined); use the full parser.
bool ReadOpenAiEventFast(std::string_view data, bool stream, JsonParser::Impl& impl);

// One field of an object being iterated; the callback takes `field.value()` only for the keys
// it reads (asking for the value of every field costs a third of the parse time).
using Field = simdjson::simdjson_result<simdjson::ondemand::field>;

// Calls on_field(key, field) -> error_code for each field of `object`, in wire order; stops at
// the first error. Values the callback does not take are skipped by simdjson.
template <typename OnField>
simdjson::error_code ForEachField(simdjson::ondemand::object object, OnField&& on_field) {
  for (Field field : object) {
    simdjson::ondemand::raw_json_string key;
    if (auto error = field.key().get(key)) return error;
    if (auto error = on_field(key, field)) return error;
  }
  return simdjson::SUCCESS;
}

// The same over a value that should be an object: null (or another type) has no fields.
template <typename OnField>
simdjson::error_code ForEachField(JsonValue result, OnField&& on_field) {
  simdjson::ondemand::value value;
  if (auto error = result.get(value)) return error;
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type != simdjson::ondemand::json_type::object) return simdjson::SUCCESS;
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) return error;
  return ForEachField(object, on_field);
}

// Shared field readers. Null reads as absent (false / nullopt / empty).
using Key = simdjson::ondemand::raw_json_string;
simdjson::error_code ReadOptionalString(JsonValue result, std::string_view* out,
                                        bool* present = nullptr);
simdjson::error_code ReadOptionalInt(JsonValue result, std::optional<int64_t>* out);
// A number, or nothing when null or another type.
simdjson::error_code ReadOptionalDouble(JsonValue result, std::optional<double>* out);
// A string, or nothing when null or another type (ids are informational).
simdjson::error_code ReadStringIfString(JsonValue result, std::string_view* out);
// A boolean, or false when null or another type.
simdjson::error_code ReadOptionalBool(JsonValue result, bool* out);
// A finish reason: a string, or SGLang's object form {"type": ...}; "" and null are none.
simdjson::error_code ReadFinishReason(JsonValue result, std::string_view* out);
// The top-level "error" value: an object with message/type/code (or http_status_code), or a
// string. A top-level "error_type" next to a string (TGI) is read by the style's reader.
simdjson::error_code ReadError(JsonValue result, EventFacts& facts);

}  // namespace servebench::protocol
