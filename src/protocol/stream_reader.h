// StreamReader: turns one response's events (SSE data, NDJSON lines, or a whole non-streaming
// body) into what the request record needs: token events with their read timestamps and token
// counts, the generated and reasoning text, server usage, finish reason, [DONE], and in-band
// failures. Rules are spec/protocols.md §5.1 (rule 6), §5.2, §5.3, §5.5 and the token-event
// predicates of spec/metrics.md §12 (--compat).
//
// A pure machine: events in, results out; no sockets, no clock. One reader per in-flight
// request; Reset() readies it for the next request keeping its buffers. JSON is read in place
// with simdjson On-Demand through a JsonParser the caller owns (one per event-loop thread, shared
// by that thread's readers), so the data handed to OnEvent() must be followed by kJsonPadding
// readable bytes (client::SseParser guarantees it; tests use PaddedEvent()).
//
// Non-streaming replies (ReaderOptions::stream = false, spec §4.6) are one event: hand the whole
// body (padded) to OnEvent() once; it yields at most one token event, timed by that call.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/backend.h"

namespace servebench::protocol {

// The JSON parser and per-event scratch one thread's readers share (simdjson stays out of this
// header). Its buffers grow to the largest event parsed and are reused.
class JsonParser {
 public:
  JsonParser();
  ~JsonParser();
  JsonParser(const JsonParser&) = delete;
  JsonParser& operator=(const JsonParser&) = delete;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

inline constexpr size_t kJsonPadding = 64;  // SIMDJSON_PADDING

// A copy of `data` followed by kJsonPadding bytes, for tests and cold paths.
class PaddedEvent {
 public:
  explicit PaddedEvent(std::string_view data);
  std::string_view view() const { return std::string_view(bytes_).substr(0, size_); }

 private:
  std::string bytes_;
  size_t size_;
};

struct ReaderOptions {
  Style style = Style::kCompletions;
  Compat compat = Compat::kNone;
  bool stream = true;
  bool incremental_text = false;      // --incremental-text: native `text` is a delta
  bool trt_accumulated_text = false;  // --trt-accumulated-text: trt `text_output` is cumulative
  int64_t expected_tokens = 0;        // requested output length: token events are reserved
};

enum class EventKind : uint8_t {
  kData,         // a JSON object, token event or not
  kDone,         // the [DONE] marker
  kIgnored,      // arrived after [DONE] or after the request failed
  kStreamError,  // a top-level "error": the request fails with stream_error
  kMalformed,    // not a JSON object, invalid UTF-8: the request fails with malformed_event
};

// What one event brought. Views are valid until the next OnEvent()/Reset().
struct EventResult {
  EventKind kind = EventKind::kData;
  bool token_event = false;    // by the predicate of the active --compat mode
  std::string_view text;       // generated text the event added (content and tool calls)
  std::string_view reasoning;  // reasoning text the event added
};

struct TokenEvent {
  int64_t read_ns = 0;
  int64_t counter = -1;  // the server's cumulative token counter at this event; -1 = none
  // This event's text in generated_text() and reasoning_text(); clamp before use (a cumulative
  // stream may rewrite earlier text).
  uint32_t text_begin = 0, text_end = 0;
  uint32_t reasoning_begin = 0, reasoning_end = 0;
};

enum class ReaderFailure : uint8_t { kNone, kStreamError, kMalformedEvent };

class StreamReader {
 public:
  StreamReader(const ReaderOptions& options, JsonParser& parser);
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  // Starts a new response (same options but expected_tokens), keeping buffer capacity.
  void Reset(int64_t expected_tokens);

  // One event's data (kJsonPadding readable bytes after it). body_offset is the event's offset
  // in the body, quoted in malformed_event details.
  const EventResult& OnEvent(std::string_view data, int64_t read_ns, uint64_t body_offset = 0);

  // Outcome so far.
  ReaderFailure failure() const { return failure_; }
  const std::string& error_detail() const { return error_detail_; }
  bool done() const { return done_ns_.has_value(); }
  std::optional<int64_t> done_ns() const { return done_ns_; }
  std::optional<int64_t> last_event_ns() const { return last_event_ns_; }  // [DONE] included
  // Last event with a non-empty `choices` array (vLLM's E2E end).
  std::optional<int64_t> last_choices_event_ns() const { return last_choices_event_ns_; }
  size_t events() const { return events_; }

  // Token events and their per-event token counts (§5.3).
  std::span<const TokenEvent> token_events() const { return token_events_; }
  // True when the server's cumulative counter was on every token event (and there is one).
  bool server_counts() const {
    return !token_events_.empty() && counted_events_ == token_events_.size();
  }
  // n_k = C(k) - C(k-1), C(0) = 0, when server_counts(); else -1.
  int32_t ServerTokens(size_t k) const;
  std::string_view TokenEventText(size_t k) const;
  std::string_view TokenEventReasoning(size_t k) const;

  const std::string& generated_text() const { return text_; }  // content and tool calls
  const std::string& reasoning_text() const { return reasoning_; }
  std::string_view finish_reason() const { return finish_reason_; }
  std::optional<int64_t> prompt_tokens() const { return prompt_tokens_; }
  std::optional<int64_t> completion_tokens() const { return completion_tokens_; }
  // The last usage arrived on an event with generated text (SGLang's completions rule).
  bool usage_on_token_event() const { return usage_on_token_event_; }
  std::string_view response_id() const { return response_id_; }
  std::optional<int64_t> cached_tokens() const { return cached_tokens_; }
  // SGLang's OpenAI routes: sglext.cached_tokens_details, when the reply carried it.
  struct CachedTokensDetails {
    int64_t device = 0, host = 0, storage = 0;
    std::string storage_backend;
  };
  const std::optional<CachedTokensDetails>& cached_tokens_details() const {
    return cached_tokens_details_;
  }
  std::optional<double> spec_accept_length() const { return spec_accept_length_; }
  bool saw_other_choice_index() const { return saw_other_choice_index_; }  // warn once

 private:
  void Apply(int64_t read_ns);
  bool IsTokenEvent(bool text_grew) const;

  ReaderOptions options_;
  JsonParser& parser_;
  EventResult result_;

  std::string text_;
  std::string reasoning_;
  std::vector<TokenEvent> token_events_;
  std::string finish_reason_;
  std::string response_id_;
  std::string error_detail_;
  ReaderFailure failure_ = ReaderFailure::kNone;
  std::optional<int64_t> done_ns_;
  std::optional<int64_t> last_event_ns_;
  std::optional<int64_t> last_choices_event_ns_;
  std::optional<int64_t> prompt_tokens_;
  std::optional<int64_t> completion_tokens_;
  std::optional<int64_t> cached_tokens_;
  std::optional<CachedTokensDetails> cached_tokens_details_;
  std::optional<double> spec_accept_length_;
  std::optional<int64_t> last_counter_;  // the counter's latest value (sglang compat)
  bool usage_on_token_event_ = false;
  bool saw_other_choice_index_ = false;
  size_t events_ = 0;
  size_t counted_events_ = 0;  // token events that carry the counter
};

}  // namespace servebench::protocol
