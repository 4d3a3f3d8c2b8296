// RequestCall: one benchmark request on an HttpLoop. It feeds the response bytes through
// SseParser into the request's StreamReader on the loop's thread, and when the transfer ends it
// fills the request's metrics::RequestRecord: times (ns from t0), token events and their counts,
// usage, outcome and failure reason (spec/protocols.md §5.5).
//
// Per event nothing is allocated: the reader appends into vectors reserved from the requested
// output length when the request starts. The reader exists only while the request runs, so a
// finished request keeps only its record.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/http_loop.h"
#include "client/sse_parser.h"
#include "metrics/request_record.h"
#include "protocol/stream_reader.h"

namespace servebench::client {

// Counts the tokens of an event's text (the client tokenizer), for servers without a counter.
using TokenCounter = std::function<size_t(std::string_view)>;

// What every call of a run shares; read-only while the run is going.
struct CallSetup {
  protocol::ReaderOptions reader;
  size_t max_event_bytes = kDefaultMaxEventBytes;
  int64_t done_grace_ns = 2'000'000'000;  // --done-grace-ms
  int64_t t0 = 0;                         // record times are relative to this monotonic instant
  const TokenCounter* count_tokens = nullptr;  // null: per-event counts unknown without a counter
  bool kernel_timestamps = false;  // record each token event's socket wait (--kernel-timestamps)
};

class RequestCall;

// Told when a call has ended and its record is complete (on the loop's thread).
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void OnCallEnd(RequestCall& call, int64_t end_ns) = 0;
  // The call was handed to the transport; false: the run is stopping, do not send it.
  virtual bool MaySend(RequestCall& call) = 0;
};

class RequestCall final : public HttpCall, private SseSink {
 public:
  // `record` must outlive the call; its index, counts and schedule times are the caller's.
  RequestCall(const CallSetup& setup, HttpLoop& loop, protocol::JsonParser& parser,
              metrics::RequestRecord& record, CallObserver& observer);
  ~RequestCall() override;
  RequestCall(const RequestCall&) = delete;
  RequestCall& operator=(const RequestCall&) = delete;

  // Sets the request: `url` and `body` must stay valid until OnEnd; `header_lines` ("Name: value")
  // are copied.
  void SetRequest(std::string_view url, std::string_view body,
                  const std::vector<std::string>& header_lines);

  metrics::RequestRecord& record() { return record_; }
  bool sent() const { return sent_; }  // false: never sent (the run stopped first)
  size_t loop_index = 0;               // the loop that owns this call
  size_t position = 0;                 // place in the schedule

  // Fills the per-event token counts left to the client tokenizer (event_token_source
  // tokenizer). Called after the loops have stopped, so tokenizing never delays a read.
  void CountEventTokens();

  void OnStart(int64_t ns) override;
  void OnHeaders(long status, int64_t ns) override;
  bool OnBody(std::string_view bytes, int64_t read_ns) override;
  void OnReadParsed(int64_t read_ns, int64_t user_read_ns, int64_t parsed_ns) override;
  void OnEnd(const HttpOutcome& outcome) override;

 private:
  bool OnSseEvent(const SseEvent& event) override;
  void Classify(const HttpOutcome& outcome, int64_t end_ns);
  void CopyEvents();

  const CallSetup& setup_;
  HttpLoop& loop_;
  protocol::JsonParser& parser_;
  metrics::RequestRecord& record_;
  CallObserver& observer_;

  std::optional<SseParser> sse_;
  std::optional<protocol::StreamReader> reader_;
  std::string body_;  // non-streaming body, or the start of an error reply
  // Per token event: [begin, end) of its reasoning and of its text in record_.generated_text,
  // kept for CountEventTokens() when the tokenizer counts.
  struct EventSpans {
    uint32_t reasoning_begin, reasoning_end, text_begin, text_end;
  };
  std::vector<EventSpans> event_spans_;
  size_t waits_recorded_ = 0;  // token events whose socket wait is in the record
  int32_t last_wait_ = 0;      // the socket wait of the last read that delivered events
  bool sent_ = false;
  bool skipped_ = false;  // refused by MaySend
  bool too_large_ = false;
  bool cancelled_by_design_ = false;  // --cancel-rate closed it
  bool grace_armed_ = false;
  long status_ = 0;
};

}  // namespace servebench::client
