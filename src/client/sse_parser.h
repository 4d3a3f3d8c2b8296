// SseParser: turns a decoded response body (chunked framing already removed) into events.
//
// Framing rules are spec/protocols.md §5.1 (rules 2 to 5):
//   - lines end at "\n", "\r\n" or a lone "\r", also when "\r" ends one read and "\n" starts
//     the next;
//   - ":" starts a comment; "data" values accumulate joined with "\n"; other fields are ignored;
//     one space after the colon is removed; a blank line dispatches the accumulated data;
//   - a line whose first non-space byte is "{" (and so is not a field line) is an event of its
//     own (NDJSON bodies, e.g. Truss);
//   - Finish() dispatches data left undispatched when the body ends.
// A dispatched event carries the timestamp of the read that completed it. Its data is valid
// during the sink's OnSseEvent() call and is followed by at least kEventPadding readable bytes,
// so a JSON parser (simdjson) can read it in place.
//
// The parser knows nothing of JSON or of "[DONE]": the protocol readers decide what data means.
// Buffers grow to the largest event seen and are then reused: no allocation per event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace servebench::client {

// Bytes readable after every event's data (simdjson's SIMDJSON_PADDING is 64).
inline constexpr size_t kEventPadding = 64;

// --max-event-bytes default: 64 MiB.
inline constexpr size_t kDefaultMaxEventBytes = size_t{64} << 20;

struct SseEvent {
  std::string_view data;     // data lines joined with "\n"; padded by kEventPadding bytes
  int64_t read_ns = 0;       // timestamp of the read that delivered the event's last line break
  uint64_t body_offset = 0;  // offset in the body of the event's first line
};

// Receives events as they are dispatched. Returning false stops the current Feed() call early:
// the rest of that read is dropped and Feed() returns kStopped (the caller is expected to end or
// Reset() the body then).
class SseSink {
 public:
  virtual ~SseSink() = default;
  virtual bool OnSseEvent(const SseEvent& event) = 0;
};

class SseParser {
 public:
  enum class Result {
    kOk,
    kStopped,        // the sink returned false
    kEventTooLarge,  // a line or event exceeded max_event_bytes; see error_offset()
  };

  explicit SseParser(size_t max_event_bytes = kDefaultMaxEventBytes);
  SseParser(const SseParser&) = delete;
  SseParser& operator=(const SseParser&) = delete;

  // Parses the bytes of one read. read_ns is the read's timestamp, taken before parsing.
  // After kEventTooLarge every later call returns kEventTooLarge and parses nothing.
  Result Feed(std::string_view bytes, int64_t read_ns, SseSink& sink);

  // The body ended: an unterminated last line counts as a line and undispatched data is
  // dispatched, with read_ns (the timestamp of the read that delivered the last byte).
  Result Finish(int64_t read_ns, SseSink& sink);

  // Back to the state of a new body; keeps the buffers' capacity (for the next request).
  void Reset();

  // Body offset of the line or event that exceeded the limit.
  uint64_t error_offset() const { return error_offset_; }
  uint64_t bytes_seen() const { return body_offset_; }

 private:
  // A growable byte buffer that always keeps kEventPadding spare bytes after its contents.
  class PaddedBuffer {
   public:
    void Append(const char* bytes, size_t n);
    void Clear() { size_ = 0; }
    size_t size() const { return size_; }
    std::string_view view() const { return {data_.get(), size_}; }

   private:
    std::unique_ptr<char[]> data_;
    size_t size_ = 0;
    size_t capacity_ = 0;  // excluding the padding
  };

  // Handles one complete line (without its line break).
  Result OnLine(std::string_view line, uint64_t line_offset, int64_t read_ns, SseSink& sink);
  Result Dispatch(int64_t read_ns, SseSink& sink);
  Result Fail(uint64_t offset);

  size_t max_event_bytes_;
  PaddedBuffer partial_line_;  // bytes of a line that spans reads
  PaddedBuffer data_;          // accumulated data of the event being read
  PaddedBuffer single_;        // an NDJSON line dispatched on its own
  bool have_data_ = false;     // a data field was seen since the last dispatch
  bool skip_lf_ = false;       // the previous read ended with "\r": a leading "\n" is not a line
  bool failed_ = false;
  uint64_t body_offset_ = 0;          // bytes of the body consumed so far
  uint64_t partial_line_offset_ = 0;  // body offset of partial_line_'s first byte
  uint64_t event_offset_ = 0;         // body offset of the current event's first data line
  uint64_t error_offset_ = 0;
};

}  // namespace servebench::client
