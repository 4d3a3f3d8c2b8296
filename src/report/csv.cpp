#include "report/csv.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "report/console.h"
#include "report/json_writer.h"

namespace servebench::report {

namespace {

constexpr std::string_view kOpenLoopColumns =
    "backend,dataset_name,sharegpt_output_len,random_input_len,random_output_len,"
    "random_range_ratio,request_rate,completed,total_input_tokens,total_output_tokens,duration,"
    "request_throughput,input_throughput,output_throughput,mean_e2e_latency_ms,mean_ttft_ms,"
    "mean_tpot_ms,mean_itl_ms";

constexpr std::string_view kClosedLoopColumns =
    "backend,bs,dataset_name,sharegpt_output_len,random_input_len,random_output_len,"
    "random_range_ratio,num_prompts,completed,total_input_tokens,total_output_tokens,duration,"
    "request_throughput,input_throughput,output_throughput,mean_e2e_latency_ms,mean_ttft_ms,"
    "mean_tpot_ms,mean_itl_ms";

// RFC 4180 quoting, only when needed.
std::string Field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i)
    out += (i ? "," : "") + fields[i];
  return out + "\n";
}

std::string OptionalInt(const std::optional<int64_t>& v) {
  return v ? fmt::format("{}", *v) : "";
}

}  // namespace

std::string CsvHeader(const RunInfo& info) {
  return std::string(info.closed_loop_concurrency ? kClosedLoopColumns : kOpenLoopColumns) + "\n";
}

std::string CsvRow(const RunInfo& info, const metrics::RunMetrics& m) {
  if (info.closed_loop_concurrency) {
    auto f3 = [](double v) { return fmt::format("{:.3f}", v); };
    auto streamed = [&](double v) { return info.stream ? f3(v) : std::string("-"); };
    return Join({Field(info.backend), fmt::format("{}", *info.closed_loop_concurrency),
                 Field(info.dataset_name), OptionalInt(info.sharegpt_output_len),
                 fmt::format("{}", info.random_input_len),
                 fmt::format("{}", info.random_output_len), f3(info.random_range_ratio),
                 fmt::format("{}", info.num_prompts), fmt::format("{}", m.completed),
                 fmt::format("{}", m.total_input_tokens), fmt::format("{}", m.total_output_tokens),
                 f3(m.duration_s), f3(m.request_throughput), f3(m.input_throughput),
                 f3(m.output_throughput), f3(m.e2e.mean), streamed(m.ttft.mean), f3(m.tpot.mean),
                 streamed(m.itl.mean)});
  }
  return Join({Field(info.backend), Field(info.dataset_name), OptionalInt(info.sharegpt_output_len),
               fmt::format("{}", info.random_input_len), fmt::format("{}", info.random_output_len),
               PythonFloat(info.random_range_ratio), RequestRateText(info),
               fmt::format("{}", m.completed), fmt::format("{}", m.total_input_tokens),
               fmt::format("{}", m.total_output_tokens), PythonFloat(m.duration_s),
               PythonFloat(m.request_throughput), PythonFloat(m.input_throughput),
               PythonFloat(m.output_throughput), PythonFloat(m.e2e.mean), PythonFloat(m.ttft.mean),
               PythonFloat(m.tpot.mean), PythonFloat(m.itl.mean)});
}

Status AppendCsv(const std::string& path, std::string_view header, std::string_view row) {
  std::error_code ec;
  bool needs_header =
      !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out) return MakeError("--csv {}: cannot open for appending: {}", path, std::strerror(errno));
  if (needs_header) out << header;
  out << row;
  out.flush();
  if (!out) return MakeError("--csv {}: write failed: {}", path, std::strerror(errno));
  return Ok();
}

}  // namespace servebench::report
