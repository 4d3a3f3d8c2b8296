// `--trace-out FILE`: serve-sim's ground truth, one JSON line per request, written when the
// request ends. Times are CLOCK_MONOTONIC microseconds taken just before the write that carried
// the bytes, so they are directly comparable with a client's timestamps on the same machine.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::sim {

struct TraceRecord {
  uint64_t seq = 0;         // serve-sim's request number
  std::string request_id;   // the X-Request-Id header, if any
  std::string_view path;    // "/v1/completions", ...
  std::string_view family;  // dialect that answered
  int status = 0;           // HTTP status written (0: none)
  bool stream = false;
  int prompt_tokens = 0;
  int output_tokens = 0;          // tokens generated and written
  int64_t received_us = 0;        // the request's last byte was read
  int64_t head_us = -1;           // status line written
  std::vector<int64_t> event_us;  // every event written (token or not), in order
  std::vector<int> event_tokens;  // tokens carried by each event (0: role, usage, [DONE], ping)
  int64_t last_byte_us = -1;      // the reply's last byte written
  std::vector<std::string_view> faults;   // fault kinds applied to this request
  std::string_view outcome = "complete";  // complete, client_closed, reset, truncated, error
};

class TraceWriter {
 public:
  TraceWriter() = default;
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  Status Open(const std::string& path);
  bool enabled() const { return file_ != nullptr; }
  // Thread-safe; each record is one line, flushed at once so that readers see whole requests.
  void Write(const TraceRecord& record);

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
};

}  // namespace servebench::sim
