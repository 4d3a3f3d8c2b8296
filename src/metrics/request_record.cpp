#include "metrics/request_record.h"

#include <algorithm>

namespace servebench::metrics {

std::string_view StatusName(RequestStatus status) {
  switch (status) {
    case RequestStatus::kOk:
      return "ok";
    case RequestStatus::kConnect:
      return "connect";
    case RequestStatus::kHttpStatus:
      return "http_status";
    case RequestStatus::kStreamError:
      return "stream_error";
    case RequestStatus::kMalformedEvent:
      return "malformed_event";
    case RequestStatus::kTruncated:
      return "truncated";
    case RequestStatus::kTimeout:
      return "timeout";
    case RequestStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view EventTokenSourceName(EventTokenSource source) {
  switch (source) {
    case EventTokenSource::kServer:
      return "server";
    case EventTokenSource::kTokenizer:
      return "tokenizer";
    case EventTokenSource::kUnknown:
      return "unknown";
  }
  return "unknown";
}

void RequestRecord::ReserveEvents(int64_t requested_output_tokens) {
  size_t capacity = static_cast<size_t>(std::max<int64_t>(requested_output_tokens, 0)) + 1;
  event_times.reserve(capacity);
  event_tokens.reserve(capacity);
}

void RequestRecord::Fail(RequestStatus reason, int64_t time, std::string_view detail) {
  status = reason;
  end_time = time;
  error.assign(detail.substr(0, kMaxErrorBytes));
}

std::optional<int64_t> RequestRecord::first_token_time() const {
  if (event_times.empty()) return std::nullopt;
  return event_times.front();
}

std::optional<int64_t> RequestRecord::last_token_time() const {
  if (event_times.empty()) return std::nullopt;
  return event_times.back();
}

}  // namespace servebench::metrics
