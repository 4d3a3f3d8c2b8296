#include "client/sse_parser.h"

#include <algorithm>
#include <cstring>

namespace servebench::client {

void SseParser::PaddedBuffer::Append(const char* bytes, size_t n) {
  if (n == 0) return;
  if (size_ + n > capacity_) {
    size_t capacity = std::max({capacity_ * 2, size_ + n, size_t{256}});
    auto grown = std::make_unique<char[]>(capacity + kEventPadding);  // zero-filled
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  std::memcpy(data_.get() + size_, bytes, n);
  size_ += n;
}

SseParser::SseParser(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

void SseParser::Reset() {
  partial_line_.Clear();
  data_.Clear();
  single_.Clear();
  have_data_ = false;
  skip_lf_ = false;
  failed_ = false;
  body_offset_ = 0;
  partial_line_offset_ = 0;
  event_offset_ = 0;
  error_offset_ = 0;
}

SseParser::Result SseParser::Fail(uint64_t offset) {
  failed_ = true;
  error_offset_ = offset;
  return Result::kEventTooLarge;
}

SseParser::Result SseParser::Feed(std::string_view bytes, int64_t read_ns, SseSink& sink) {
  if (failed_) return Result::kEventTooLarge;
  const char* const begin = bytes.data();
  const char* const end = begin + bytes.size();
  const uint64_t base = body_offset_;
  const char* p = begin;
  if (skip_lf_ && p < end) {
    skip_lf_ = false;
    if (*p == '\n') ++p;
  }
  // Most streams have no "\r" at all: one memchr per read finds that out, and the position of
  // the next "\r" is only searched again once the scan has passed it.
  const char* next_cr = nullptr;
  while (p < end) {
    if (next_cr == nullptr || next_cr < p) {
      next_cr = static_cast<const char*>(std::memchr(p, '\r', end - p));
      if (next_cr == nullptr) next_cr = end;
    }
    const char* lf = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* eol = lf == nullptr ? next_cr : std::min(lf, next_cr);
    if (eol == end) {  // no line break in the rest of this read
      if (partial_line_.size() == 0) partial_line_offset_ = base + (p - begin);
      partial_line_.Append(p, end - p);
      if (partial_line_.size() > max_event_bytes_) return Fail(partial_line_offset_);
      break;
    }
    std::string_view line(p, eol - p);
    uint64_t line_offset = base + (p - begin);
    if (partial_line_.size() > 0) {
      partial_line_.Append(p, eol - p);
      line = partial_line_.view();
      line_offset = partial_line_offset_;
    }
    if (line.size() > max_event_bytes_) return Fail(line_offset);
    if (*eol == '\r') {
      if (eol + 1 == end) {
        skip_lf_ = true;  // a "\n" starting the next read belongs to this line break
        p = end;
      } else {
        p = eol[1] == '\n' ? eol + 2 : eol + 1;
      }
    } else {
      p = eol + 1;
    }
    Result result = OnLine(line, line_offset, read_ns, sink);
    partial_line_.Clear();
    if (result != Result::kOk) {
      body_offset_ = base + (p - begin);
      return result;
    }
  }
  body_offset_ = base + bytes.size();
  return Result::kOk;
}

SseParser::Result SseParser::Finish(int64_t read_ns, SseSink& sink) {
  if (failed_) return Result::kEventTooLarge;
  skip_lf_ = false;
  Result result = Result::kOk;
  if (partial_line_.size() > 0) {
    result = OnLine(partial_line_.view(), partial_line_offset_, read_ns, sink);
    partial_line_.Clear();
  }
  if (result == Result::kOk && have_data_) result = Dispatch(read_ns, sink);
  return result;
}

SseParser::Result SseParser::OnLine(std::string_view line, uint64_t line_offset, int64_t read_ns,
                                    SseSink& sink) {
  if (line.empty()) return have_data_ ? Dispatch(read_ns, sink) : Result::kOk;
  if (line[0] == ':') return Result::kOk;  // comment, keep-alive

  size_t first = line.find_first_not_of(" \t");
  if (first != std::string_view::npos && line[first] == '{') {
    // An NDJSON line: an event by itself; data of an SSE event being built is kept apart.
    single_.Clear();
    single_.Append(line.data() + first, line.size() - first);
    SseEvent event{single_.view(), read_ns, line_offset + first};
    return sink.OnSseEvent(event) ? Result::kOk : Result::kStopped;
  }

  size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  if (name != "data") return Result::kOk;  // event, id, retry and unknown fields
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  if (have_data_) {
    data_.Append("\n", 1);
  } else {
    have_data_ = true;
    event_offset_ = line_offset;
  }
  data_.Append(value.data(), value.size());
  if (data_.size() > max_event_bytes_) return Fail(event_offset_);
  return Result::kOk;
}

SseParser::Result SseParser::Dispatch(int64_t read_ns, SseSink& sink) {
  have_data_ = false;
  // As in the WHATWG algorithm, an event whose data is empty ("data:" alone) is not dispatched.
  if (data_.size() == 0) return Result::kOk;
  SseEvent event{data_.view(), read_ns, event_offset_};
  bool go_on = sink.OnSseEvent(event);
  data_.Clear();
  return go_on ? Result::kOk : Result::kStopped;
}

}  // namespace servebench::client
