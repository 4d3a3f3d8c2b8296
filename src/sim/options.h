// Every serve-sim setting, as one plain struct (filled by the CLI or by tests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/wire/wire.h"

namespace servebench::sim {

enum class FaultKind {
  kRefuse,              // close the accepted socket at once
  kResetBeforeHeaders,  // read the request, then reset the connection
  kResetMidStream,      // reset after some events
  kHttp4xx,             // the family's 400 error body
  kHttp5xx,             // 500
  kHttp429,             // 429
  kMalformedEvent,      // an event whose data is not JSON
  kTruncatedChunk,      // close in the middle of a chunk
  kInvalidUtf8,         // bytes that are not UTF-8 inside a text value
  kStall,               // stop writing for --stall-ms
  kSlowHeaders,         // delay the status line by --slow-headers-ms
  kOversizedEvent,      // one event of --oversized-bytes
  kMissingDone,         // end the chunked body without [DONE]
  kNoTerminator,        // [DONE], then keep the connection open without the zero chunk
};

struct Fault {
  FaultKind kind;
  double probability = 1.0;
};

// Parses "KIND" or "KIND:P" (P in [0, 1]).
bool ParseFault(std::string_view spec, Fault* fault);
std::string_view FaultName(FaultKind kind);
// "refuse, reset-before-headers, ...": for error messages.
std::string FaultKindList();

// The continuous-batching engine model (sim/engine.h). Defaults resemble an 8B model on one
// modern GPU: ~25 ms TTFT and ~15 ms ITL at low load, saturating near 4,000 output tokens/s.
struct EngineOptions {
  int max_running = 256;
  int64_t kv_tokens = 400'000;
  int prefill_chunk = 8192;
  double step_base_ms = 14.0;
  double prefill_us_per_token = 10.0;
  double decode_us_per_seq = 200.0;
};

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 30000;
  Family family = Family::kSglang;
  std::string model_name = "serve-sim";
  // Counts prompt tokens exactly (a tokenizer.json, model directory or hub id); empty: words.
  std::string tokenizer;
  int max_model_len = 32768;
  std::string api_key;  // empty: no authorization required
  std::vector<std::string>
      lora_modules;  // adapter names listed by /v1/models and accepted as model
  int threads = 0;   // io_context threads; 0 = one per core
  size_t max_body_bytes = 64 << 20;

  EngineOptions engine;
  int tokens_per_event = 1;
  // --pace TTFT_MS,ITL_MS: fixed timing per request instead of the engine model.
  std::optional<double> pace_ttft_ms;
  double pace_itl_ms = 0;
  bool instant = false;  // every event at once: measures a client's ceiling

  bool crlf = false;          // --sse-style crlf
  int ping_ms = 0;            // comment pings after this much idleness; 0 = never
  int keepalive_ms = 15000;   // TGI's `:` keep-alive
  double empty_events = 0;    // probability of an empty-text event between tokens
  int eos_mean_tokens = 128;  // mean output length when ignore_eos is false
  bool trt_accumulate = false;
  std::optional<double> accept_length;
  // Draft tokens per speculative draft in the vLLM spec-decode counters (--spec-draft-tokens).
  std::optional<int> spec_draft_tokens;
  // --cached-tokens N: every request finds min(N, its prompt) tokens in the prefix cache, as
  // SGLang reports them (native meta_info.cached_tokens; sglext on the OpenAI routes).
  int cached_tokens = 0;
  // --hide-route PATH: these paths answer 404, as on a server that does not expose them (a
  // vLLM without /metrics, an SGLang without /server_info).
  std::vector<std::string> hidden_routes;
  uint64_t seed = 0;

  std::vector<Fault> faults;
  int stall_ms = 30000;
  int slow_headers_ms = 1000;
  size_t oversized_bytes = 2 << 20;
  int done_hold_ms = 60000;  // no-terminator: how long the connection stays open after [DONE]

  std::string trace_out;  // empty: no trace
};

}  // namespace servebench::sim
