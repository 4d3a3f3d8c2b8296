// What serve-sim reads from a generation request, and the validation the real servers apply.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "sim/options.h"
#include "sim/wire/wire.h"
#include "tokenizer/tokenizer.h"

namespace servebench::sim {

struct GenerationRequest {
  Route route = Route::kCompletions;
  bool stream = false;
  bool has_stream_options = false;
  bool include_usage = false;
  bool continuous_usage = false;
  bool return_cached_tokens_details = false;  // SGLang's OpenAI routes: reply with `sglext`
  std::string model;                          // as sent; empty when absent
  int prompt_tokens = 0;
  int max_tokens = 0;       // resolved: the request's limit or the route's default
  bool ignore_eos = false;  // true: exactly max_tokens are generated
};

struct RequestError {
  ErrorKind kind;
  std::string message;
  bool stream = false;  // the request asked for a stream (SGLang reports some errors in-band)
};

// Parses and validates a POST body for `route` as `family` would. `content_type` is the request's
// Content-Type header value. Prompt tokens are counted with `tokenizer` (no special tokens, no
// chat template: the text the client sent), or as whitespace-separated words when it is null.
std::expected<GenerationRequest, RequestError> ParseGenerationRequest(
    Route route, Family family, std::string_view body, std::string_view content_type,
    const SimOptions& options, const tokenizer::Tokenizer* tokenizer = nullptr);

}  // namespace servebench::sim
