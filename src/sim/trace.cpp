#include "sim/trace.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace servebench::sim {
namespace {

void AppendJsonString(fmt::memory_buffer& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

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
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\"seq\":{},\"request_id\":", r.seq);
  AppendJsonString(out, r.request_id);
  fmt::format_to(it, ",\"path\":");
  AppendJsonString(out, r.path);
  fmt::format_to(it,
                 ",\"family\":\"{}\",\"status\":{},\"stream\":{},\"prompt_tokens\":{},"
                 "\"output_tokens\":{},\"received_us\":{},\"head_us\":{},\"event_us\":[{}],"
                 "\"event_tokens\":[{}],\"last_byte_us\":{},\"faults\":[",
                 r.family, r.status, r.stream, r.prompt_tokens, r.output_tokens, r.received_us,
                 r.head_us, fmt::join(r.event_us, ","), fmt::join(r.event_tokens, ","),
                 r.last_byte_us);
  for (size_t i = 0; i < r.faults.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(out, r.faults[i]);
  }
  fmt::format_to(it, "],\"outcome\":\"{}\"}}\n", r.outcome);
  std::lock_guard lock(mutex_);
  std::fwrite(out.data(), 1, out.size(), file_);
  std::fflush(file_);
}

}  // namespace servebench::sim
