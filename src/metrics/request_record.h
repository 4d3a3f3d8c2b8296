// One request's measurements (spec/load.md §13): every timestamp the client took for it and the
// counts it learned. Filled by the client and protocol code while the request runs; read by the
// aggregates (aggregate.h) and the outputs after the run. Nothing here computes a statistic.
//
// Times are int64 nanoseconds relative to t0 (the start of the measured phase; warmup times are
// negative); an absent time is std::nullopt. Token events are kept as two parallel vectors, time
// and token count, reserved from the requested output length, so a stream appends without
// allocating and costs 12 bytes per event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace servebench::metrics {

// The outcome of a request: ok, or exactly one failure reason (spec/protocols.md §5.5).
enum class RequestStatus : uint8_t {
  kOk,
  kConnect,
  kHttpStatus,
  kStreamError,
  kMalformedEvent,
  kTruncated,
  kTimeout,
  kCancelled,
};

// "ok", "connect", "http_status", "stream_error", "malformed_event", "truncated", "timeout",
// "cancelled".
std::string_view StatusName(RequestStatus status);

// Where the per-event token counts came from (spec/protocols.md §5.3).
enum class EventTokenSource : uint8_t { kServer, kTokenizer, kUnknown };

// "server", "tokenizer", "unknown".
std::string_view EventTokenSourceName(EventTokenSource source);

// A token event whose token count is unknown (no server counter, no client tokenizer).
inline constexpr int32_t kUnknownTokens = -1;

// The most error text a record keeps.
inline constexpr size_t kMaxErrorBytes = 1024;

struct RequestRecord {
  // Identity.
  int64_t index = 0;               // row index in the workload
  std::optional<int32_t> session;  // multi-turn session, else absent
  std::optional<int32_t> round;    // 0-based round in the session
  std::string request_id;          // the X-Request-Id value sent
  int32_t lora = -1;               // index into --lora-name, -1 = none
  std::string routing_key;
  std::optional<int64_t> cancel_after_events;  // cancelled by design after this many events

  // Schedule and send (ns from t0). slot wait = admit - scheduled; send lag = send - admit.
  int64_t scheduled_time = 0;  // s_i (closed loop: when the worker became free)
  int64_t admit_time = 0;      // g_i
  int64_t send_time = 0;       // a_i, read just before the request goes to the transport

  // Transport.
  std::optional<int64_t> connect_start;  // new connection set-up; absent when one was reused
  std::optional<int64_t> connect_done;
  bool connection_reused = false;
  bool retried = false;  // one retry after a stale pooled connection (protocols.md §2)
  std::optional<int64_t> request_written;
  std::optional<int64_t> headers_time;
  std::optional<int64_t> first_byte_time;

  // Token events: read timestamps and tokens per event (kUnknownTokens where unknown).
  std::vector<int64_t> event_times;
  std::vector<int32_t> event_tokens;
  EventTokenSource event_token_source = EventTokenSource::kUnknown;
  std::optional<int64_t> last_event_time;  // last SSE data event of any kind ([DONE] included)
  std::optional<int64_t> done_time;        // [DONE], if any
  std::optional<int64_t> end_time;         // z_i: last response byte, or the failure instant

  // Outcome.
  RequestStatus status = RequestStatus::kOk;
  int32_t http_status = 0;  // 0 = no status line received
  std::string error;        // failure detail, at most kMaxErrorBytes
  std::string finish_reason;
  bool unterminated = false;  // [DONE] seen but the HTTP message never ended

  // Counts.
  int64_t prompt_tokens_dataset = 0;  // d_i: text + vision tokens of the row
  int64_t prompt_vision_tokens = 0;   // the vision part of d_i
  bool vision_from_server = false;  // prompt_vision_tokens still to be estimated (vision_tokens.h)
  std::optional<int64_t> prompt_tokens_server;       // p_i
  int64_t output_tokens_requested = 0;               // Oreq_i
  bool ignore_eos = false;                           // the request asked to ignore EOS
  std::optional<int64_t> output_tokens_server;       // U_i
  std::optional<int64_t> output_tokens_retokenized;  // R_i (absent without a client tokenizer)
  bool usage_on_token_event = false;  // U_i arrived on a token event (SGLang's completions rule)
  int64_t bytes_sent = 0;
  int64_t bytes_received = 0;

  // Server-side facts recorded when present (spec/protocols.md §5.2).
  std::string server_request_id;         // the response `id` / meta_info.id
  std::optional<int64_t> cached_tokens;  // SGLang meta_info.cached_tokens
  // SGLang OpenAI routes: sglext.cached_tokens_details (--cache-report).
  struct CachedTokensDetails {
    int64_t device = 0;
    int64_t host = 0;
    int64_t storage = 0;
    std::string storage_backend;
  };
  std::optional<CachedTokensDetails> cached_tokens_details;

  // Client overhead (spec/beyond.md 3): per request, the largest delay from a read returning to
  // its last event being recorded, and the parse time spent on this request's bytes.
  int64_t max_recv_to_parsed_ns = 0;
  int64_t parse_ns = 0;
  // --kernel-timestamps (spec/beyond.md 12): per token event of a streamed reply, how long its
  // bytes waited in the socket before the client read them (user-space read stamp - kernel
  // arrival), ns, saturated at INT32_MAX. The user-space stamp of event k is
  // event_times[k] + event_socket_waits_ns[k]. Empty without the flag.
  std::vector<int32_t> event_socket_waits_ns;

  // The generated text (reasoning included), kept for re-tokenization and --output-details.
  std::string generated_text;
  size_t reasoning_bytes = 0;  // the leading bytes of generated_text that are reasoning

  // Reserves the token-event vectors for the requested output length (plus one event for a
  // final empty-text or EOS event), so appending on the hot path does not reallocate.
  void ReserveEvents(int64_t requested_output_tokens);
  void AddTokenEvent(int64_t time, int32_t tokens) {
    event_times.push_back(time);
    event_tokens.push_back(tokens);
  }
  // Records a failure with its reason and detail (truncated to kMaxErrorBytes).
  void Fail(RequestStatus reason, int64_t time, std::string_view detail);

  bool ok() const { return status == RequestStatus::kOk; }
  size_t token_events() const { return event_times.size(); }  // E_i = K_i
  std::optional<int64_t> first_token_time() const;
  std::optional<int64_t> last_token_time() const;
  int64_t slot_wait() const { return admit_time - scheduled_time; }
  int64_t send_lag() const { return send_time - admit_time; }
};

}  // namespace servebench::metrics
