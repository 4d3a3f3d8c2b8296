#include "client/request_call.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace servebench::client {

using metrics::RequestStatus;

namespace {

// Bytes of a non-200 reply kept for the error detail.
constexpr size_t kErrorBodyBytes = 1024;

bool IsConnectFailure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SEND_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

RequestCall::RequestCall(const CallSetup& setup, HttpLoop& loop, protocol::JsonParser& parser,
                         metrics::RequestRecord& record, CallObserver& observer)
    : setup_(setup), loop_(loop), parser_(parser), record_(record), observer_(observer) {}

RequestCall::~RequestCall() {
  curl_slist_free_all(headers);
}

void RequestCall::SetRequest(std::string_view request_url, std::string_view body,
                             const std::vector<std::string>& header_lines) {
  url = request_url;
  request_body = body;
  curl_slist_free_all(headers);
  headers = nullptr;
  for (const std::string& line : header_lines)
    headers = curl_slist_append(headers, line.c_str());
  headers = curl_slist_append(headers, "Expect:");
  record_.bytes_sent = static_cast<int64_t>(body.size());
}

void RequestCall::OnStart(int64_t ns) {
  if (!observer_.MaySend(*this)) {
    // The run is stopping: end this call before any byte goes out.
    skipped_ = true;
    loop_.AbortAt(this, ns);
    return;
  }
  sent_ = true;
  record_.send_time = ns - setup_.t0;
  protocol::ReaderOptions options = setup_.reader;
  options.expected_tokens = record_.output_tokens_requested;
  reader_.emplace(options, parser_);
  if (options.stream) sse_.emplace(setup_.max_event_bytes);
  record_.ReserveEvents(record_.output_tokens_requested);
  if (setup_.kernel_timestamps)
    record_.event_socket_waits_ns.reserve(record_.event_times.capacity());
}

void RequestCall::OnHeaders(long status, int64_t ns) {
  status_ = status;
  record_.http_status = static_cast<int32_t>(status);
  record_.headers_time = ns - setup_.t0;
}

bool RequestCall::OnBody(std::string_view bytes, int64_t read_ns) {
  if (skipped_) return false;
  if (record_.bytes_received == 0) record_.first_byte_time = read_ns - setup_.t0;
  record_.bytes_received += static_cast<int64_t>(bytes.size());
  if (status_ != 200) {
    if (body_.size() < kErrorBodyBytes) {
      body_.append(bytes.substr(0, kErrorBodyBytes - body_.size()));
    }
    return true;
  }
  if (!sse_) {
    body_.append(bytes);
    return true;
  }
  if (too_large_) return false;
  SseParser::Result result = sse_->Feed(bytes, read_ns, *this);
  if (result == SseParser::Result::kEventTooLarge) {
    too_large_ = true;
    return false;
  }
  // --cancel-rate: close the connection after the request's c-th token event (c = 0: at the
  // first body bytes).
  if (record_.cancel_after_events &&
      static_cast<int64_t>(reader_->token_events().size()) >= *record_.cancel_after_events &&
      !reader_->done()) {
    cancelled_by_design_ = true;
    return false;
  }
  if (!grace_armed_ && reader_->done()) {
    grace_armed_ = true;
    loop_.AbortAt(this, *reader_->done_ns() + setup_.done_grace_ns);
  }
  return true;
}

void RequestCall::OnReadParsed(int64_t read_ns, int64_t user_read_ns, int64_t parsed_ns) {
  // Client overhead (beyond.md 3): from the loop reaching the socket to the end of parsing.
  if (!sse_ || status_ != 200) return;
  record_.max_recv_to_parsed_ns = std::max(record_.max_recv_to_parsed_ns, parsed_ns - user_read_ns);
  if (!setup_.kernel_timestamps) return;
  const int32_t wait = static_cast<int32_t>(
      std::min<int64_t>(user_read_ns - read_ns, std::numeric_limits<int32_t>::max()));
  for (size_t n = reader_->token_events().size(); waits_recorded_ < n; ++waits_recorded_)
    record_.event_socket_waits_ns.push_back(wait);
  last_wait_ = wait;
}

bool RequestCall::OnSseEvent(const SseEvent& event) {
  reader_->OnEvent(event.data, event.read_ns, event.body_offset);
  return true;
}

void RequestCall::OnEnd(const HttpOutcome& outcome) {
  int64_t end_ns = outcome.end_ns;
  if (!skipped_) {
    record_.connection_reused = outcome.reused_connection;
    record_.retried = outcome.retried;
    if (outcome.connect_start_ns > 0) record_.connect_start = outcome.connect_start_ns - setup_.t0;
    if (outcome.connect_done_ns > 0) record_.connect_done = outcome.connect_done_ns - setup_.t0;
    if (record_.http_status == 0) record_.http_status = static_cast<int32_t>(outcome.status);
    if (status_ == 0) status_ = outcome.status;
    if (status_ == 200 && outcome.code == CURLE_OK && !too_large_) {
      if (sse_) {
        if (sse_->Finish(end_ns, *this) == SseParser::Result::kEventTooLarge) too_large_ = true;
      } else {
        protocol::PaddedEvent padded(body_);
        reader_->OnEvent(padded.view(), end_ns);
      }
    }
    Classify(outcome, end_ns);
    CopyEvents();
    if (setup_.kernel_timestamps && sse_) {
      // Events completed only when the stream ended (no blank line after the last one) came in
      // the last read: they share its wait, so the waits stay one per token event.
      record_.event_socket_waits_ns.resize(
          std::max(record_.event_socket_waits_ns.size(), record_.event_times.size()), last_wait_);
    }
    reader_.reset();
    sse_.reset();
    std::string().swap(body_);
  }
  observer_.OnCallEnd(*this, end_ns);
}

void RequestCall::CountEventTokens() {
  if (event_spans_.empty() || setup_.count_tokens == nullptr) return;
  const TokenCounter& count = *setup_.count_tokens;
  std::string_view all = record_.generated_text;
  for (size_t k = 0; k < event_spans_.size() && k < record_.event_tokens.size(); ++k) {
    const EventSpans& e = event_spans_[k];
    record_.event_tokens[k] = static_cast<int32_t>(
        count(all.substr(e.reasoning_begin, e.reasoning_end - e.reasoning_begin)) +
        count(all.substr(e.text_begin, e.text_end - e.text_begin)));
  }
  std::vector<EventSpans>().swap(event_spans_);
}

void RequestCall::Classify(const HttpOutcome& outcome, int64_t end_ns) {
  const int64_t end = end_ns - setup_.t0;
  record_.end_time = end;
  if (outcome.stopped) {
    record_.Fail(RequestStatus::kCancelled, end,
                 fmt::format("interrupted after {} token events",
                             reader_ ? reader_->token_events().size() : 0));
    return;
  }
  if (cancelled_by_design_) {
    record_.Fail(RequestStatus::kCancelled, end,
                 fmt::format("cancelled by --cancel-rate after {} token events",
                             reader_->token_events().size()));
    return;
  }
  if (status_ == 0) {
    if (outcome.code == CURLE_OPERATION_TIMEDOUT) {
      record_.Fail(RequestStatus::kTimeout, end,
                   fmt::format("no response after {:.3f} s",
                               static_cast<double>(end - record_.send_time) / 1e9));
    } else if (IsConnectFailure(outcome.code)) {
      record_.Fail(RequestStatus::kConnect, end, outcome.error);
    } else {
      // The request went out; the server closed or reset before the status line, with or
      // without bytes (protocols.md §5.5: `connect` only when the request never went out).
      record_.Fail(RequestStatus::kTruncated, end,
                   fmt::format("{} bytes received: {}", record_.bytes_received, outcome.error));
    }
    return;
  }
  if (status_ != 200) {
    record_.Fail(RequestStatus::kHttpStatus, end, fmt::format("HTTP {}: {}", status_, body_));
    return;
  }
  if (too_large_) {
    record_.Fail(RequestStatus::kMalformedEvent, end,
                 fmt::format("event at body offset {} exceeds --max-event-bytes ({} bytes)",
                             sse_->error_offset(), setup_.max_event_bytes));
    return;
  }
  switch (reader_->failure()) {
    case protocol::ReaderFailure::kStreamError:
      record_.Fail(RequestStatus::kStreamError, end, reader_->error_detail());
      return;
    case protocol::ReaderFailure::kMalformedEvent:
      record_.Fail(RequestStatus::kMalformedEvent, end, reader_->error_detail());
      return;
    case protocol::ReaderFailure::kNone:
      break;
  }
  const bool done = reader_->done();
  if (outcome.code == CURLE_OK) return;  // the message ended: complete
  if (done) {
    // [DONE] arrived but the message did not end (grace expired, or a reset after it): a success
    // that ends at the [DONE] read (protocols.md §5.1 rule 7).
    record_.unterminated = true;
    record_.end_time = *reader_->done_ns() - setup_.t0;
    return;
  }
  if (outcome.code == CURLE_OPERATION_TIMEDOUT) {
    record_.Fail(RequestStatus::kTimeout, end,
                 fmt::format("timed out after {:.3f} s",
                             static_cast<double>(end - record_.send_time) / 1e9));
    return;
  }
  record_.Fail(RequestStatus::kTruncated, end,
               fmt::format("{} bytes received: {}", record_.bytes_received, outcome.error));
}

void RequestCall::CopyEvents() {
  if (!reader_) return;
  const protocol::StreamReader& r = *reader_;
  const int64_t t0 = setup_.t0;
  auto events = r.token_events();
  metrics::EventTokenSource source = metrics::EventTokenSource::kUnknown;
  if (!setup_.reader.stream) {
    // One event (the whole body): its tokens are the usage count when the server gave one.
    source = r.completion_tokens() ? metrics::EventTokenSource::kServer
                                   : metrics::EventTokenSource::kUnknown;
  } else if (r.server_counts()) {
    source = metrics::EventTokenSource::kServer;
  } else if (setup_.count_tokens != nullptr && *setup_.count_tokens) {
    source = metrics::EventTokenSource::kTokenizer;
  }
  record_.event_token_source = source;
  const bool by_tokenizer = setup_.reader.stream && source == metrics::EventTokenSource::kTokenizer;
  if (by_tokenizer) event_spans_.reserve(events.size());
  const auto reasoning_size = static_cast<uint32_t>(r.reasoning_text().size());
  for (size_t k = 0; k < events.size(); ++k) {
    int32_t tokens = metrics::kUnknownTokens;
    if (!setup_.reader.stream) {
      if (r.completion_tokens()) tokens = static_cast<int32_t>(*r.completion_tokens());
    } else if (source == metrics::EventTokenSource::kServer) {
      tokens = r.ServerTokens(k);
    } else if (by_tokenizer) {
      // Offsets into generated_text (reasoning first, then text), counted after the run.
      std::string_view reasoning = r.TokenEventReasoning(k), text = r.TokenEventText(k);
      auto rb = static_cast<uint32_t>(reasoning.data() - r.reasoning_text().data());
      auto tb = static_cast<uint32_t>(text.data() - r.generated_text().data()) + reasoning_size;
      event_spans_.push_back({rb, rb + static_cast<uint32_t>(reasoning.size()), tb,
                              tb + static_cast<uint32_t>(text.size())});
    }
    record_.AddTokenEvent(events[k].read_ns - t0, tokens);
  }
  if (r.last_event_ns()) record_.last_event_time = *r.last_event_ns() - t0;
  if (r.done_ns()) record_.done_time = *r.done_ns() - t0;
  record_.finish_reason = r.finish_reason();
  record_.prompt_tokens_server = r.prompt_tokens();
  record_.output_tokens_server = r.completion_tokens();
  record_.usage_on_token_event = r.usage_on_token_event();
  record_.server_request_id = r.response_id();
  record_.cached_tokens = r.cached_tokens();
  if (const auto& d = r.cached_tokens_details()) {
    record_.cached_tokens_details = metrics::RequestRecord::CachedTokensDetails{
        d->device, d->host, d->storage, d->storage_backend};
  }
  record_.generated_text.reserve(r.reasoning_text().size() + r.generated_text().size());
  record_.generated_text = r.reasoning_text();
  record_.reasoning_bytes = r.reasoning_text().size();
  record_.generated_text += r.generated_text();
}

}  // namespace servebench::client
