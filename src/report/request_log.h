// The request log (`--request-log PATH`, spec/load.md §13): one JSON line per sent request with
// its full record (nanosecond times, every token event). Warmup and measured requests share the
// file; the `phase` key tells them apart (docs/outputs.md).
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "metrics/request_record.h"

namespace servebench::report {

// What a line says besides its record.
struct RequestLogContext {
  std::string_view phase = "measured";      // "warmup" | "measured"
  double request_rate = 0;                  // the rate of this cycle ("inf" when infinite)
  std::span<const std::string> lora_names;  // --lora-name, to name record.lora
  bool kernel_timestamps = false;           // --kernel-timestamps: add event_socket_waits
};

// One line, without the newline. Keys: phase, request_rate, then load.md §13 in its order.
std::string RenderRequestLogLine(const metrics::RequestRecord& record,
                                 const RequestLogContext& context);

// The log file, truncated when opened; lines are appended as phases end. Each record is rendered
// and written on its own, so a long run never holds the whole log in memory.
class RequestLog {
 public:
  // Fails with a line naming --request-log when the file cannot be created.
  static Expected<RequestLog> Open(const std::string& path);

  RequestLog(RequestLog&& other) noexcept;
  RequestLog& operator=(RequestLog&&) = delete;
  RequestLog(const RequestLog&) = delete;
  ~RequestLog();

  // Appends a line per record and flushes.
  Status Append(std::span<const metrics::RequestRecord> records, const RequestLogContext& context);

 private:
  RequestLog(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}

  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace servebench::report
