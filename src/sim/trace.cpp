#include "sim/trace.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/wire/json_writer.h"

namespace servebench::sim {

TraceWriter::~TraceWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status TraceWriter::Open(const std::string& path) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) {
    return MakeError("--trace-out {}: cannot open for writing: {}", path, std::strerror(errno));
  }
  return Ok();
}

void TraceWriter::Write(const TraceRecord& r) {
  if (file_ == nullptr) return;
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\"seq\":{},\"request_id\":", r.seq);
  AppendJsonString(r.request_id, out);
  out += ",\"path\":";
  AppendJsonString(r.path, out);
  fmt::format_to(it,
                 ",\"family\":\"{}\",\"status\":{},\"stream\":{},\"prompt_tokens\":{},"
                 "\"output_tokens\":{},\"received_us\":{},\"head_us\":{},\"event_us\":[{}],"
                 "\"event_tokens\":[{}],\"last_byte_us\":{},\"faults\":[",
                 r.family, r.status, r.stream, r.prompt_tokens, r.output_tokens, r.received_us,
                 r.head_us, fmt::join(r.event_us, ","), fmt::join(r.event_tokens, ","),
                 r.last_byte_us);
  for (size_t i = 0; i < r.faults.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(r.faults[i], out);
  }
  fmt::format_to(it, "],\"outcome\":\"{}\"}}\n", r.outcome);
  std::lock_guard lock(mutex_);
  std::fwrite(out.data(), 1, out.size(), file_);
  std::fflush(file_);
}

}  // namespace servebench::sim
