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
};

// Each reads a document's root object into impl.facts. A non-success code means the event is
// malformed (wrong type where the style needs an object, invalid JSON or UTF-8).
// `stream` chooses between chunk (`delta`) and whole-body (`message`) shapes where they differ.
simdjson::error_code ReadOpenAiEvent(simdjson::ondemand::object root, bool stream,
                                     JsonParser::Impl& impl);
simdjson::error_code ReadNativeEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);
simdjson::error_code ReadTrtEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);
simdjson::error_code ReadTgiEvent(simdjson::ondemand::object root, JsonParser::Impl& impl);

// Shared field readers. Null reads as absent (false / nullopt / empty).
simdjson::error_code ReadOptionalString(JsonValue result, std::string_view* out,
                                        bool* present = nullptr);
simdjson::error_code ReadOptionalInt(JsonValue result, std::optional<int64_t>* out);
// A finish reason: a string, or SGLang's object form {"type": ...}; "" and null are none.
simdjson::error_code ReadFinishReason(JsonValue result, std::string_view* out);
// The top-level "error" value: an object with message/type/code (or http_status_code), or a
// string. A top-level "error_type" next to a string (TGI) is read by the style's reader.
simdjson::error_code ReadError(JsonValue result, EventFacts& facts);

}  // namespace servebench::protocol
