#include "app/run_outputs.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "app/profile_table.h"
#include "common/local_time.h"
#include "common/version.h"
#include "report/console.h"
#include "report/csv.h"
#include "report/result_json.h"
#include "report/vllm_result.h"

namespace servebench::app {
namespace {

// The command line as typed, with header values of Authorization replaced by ***.
std::vector<std::string> CommandLine() {
  std::vector<std::string> args;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string arg;
  while (std::getline(in, arg, '\0')) {
    if (arg.size() > 14 &&
        (arg.starts_with("Authorization=") || arg.starts_with("authorization="))) {
      arg = arg.substr(0, 14) + "***";
    }
    args.push_back(arg);
  }
  return args;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text + ",") {
    if (c == ',') {
      if (!item.empty()) items.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return items;
}

}  // namespace

report::RunInfo MakeRunInfo(const RunFlags& f, const Prepared& p, double rate) {
  report::RunInfo info;
  info.tag = f.tag;
  info.backend = std::string(p.target.backend->name);
  info.dataset_name = f.dataset_name;
  info.request_rate = rate;
  info.max_concurrency = f.max_concurrency;
  if (f.concurrency) info.max_concurrency = f.concurrency;
  info.random_input_len = f.random_input_len;
  info.random_output_len = f.random_output_len;
  info.random_range_ratio = std::atof(f.random_range_ratio.c_str());
  info.servebench_version = std::string(Version());
  info.command_line = CommandLine();
  info.compat = p.compat;
  info.seed = f.seed;
  info.model_id = p.model;
  info.tokenizer_id = p.tokenizer_name;
  info.base_url = p.target.base_url;
  info.endpoint = p.target.endpoint;
  info.num_prompts = static_cast<int64_t>(p.workload.rows.size());
  info.burstiness = p.load.burstiness;
  info.closed_loop_concurrency = f.concurrency;
  info.stream = !f.disable_stream;
  info.percentiles = p.settings.percentiles;
  if (!f.percentile_metrics.empty()) info.percentile_metrics = SplitCommas(f.percentile_metrics);
  report::ApplyCompatPrintDefaults(info, !f.metric_percentiles.empty(),
                                   !f.percentile_metrics.empty());
  info.goodput = p.settings.goodput;
  return info;
}

std::string StampStart(report::RunInfo& info, int64_t start_unix_ns) {
  const std::string zone = FormatLocalTime(start_unix_ns, "%z");
  std::string_view z = zone;
  info.date = FormatLocalTime(start_unix_ns, "%Y-%m-%dT%H:%M:%S");
  if (z.size() == 5) {
    info.date.append(z.substr(0, 3)).append(":").append(z.substr(3));
  } else {
    info.date.append(z);
  }
  info.start_unix_ns = start_unix_ns;
  return FormatLocalTime(start_unix_ns, "%m%d");
}

std::string OutputFileName(const RunFlags& f, const report::RunInfo& info,
                           const std::string& mmdd) {
  return !f.output_file.empty() ? f.output_file : report::DefaultOutputFileName(info, mmdd, 0, "");
}

Status WriteOutputs(const RunFlags& f, const report::RunInfo& info, const metrics::RunMetrics& m,
                    std::span<const metrics::RequestRecord> sent,
                    const metrics::MeasurementRules& rules, const std::string& output_file) {
  std::string table = ConsoleTable(info, m, sent, f.cancel_rate);
  std::fwrite(table.data(), 1, table.size(), stdout);
  if (auto warning = report::TokenCountWarning(m)) std::fprintf(stderr, "%s\n", warning->c_str());
  std::fflush(stdout);

  if (f.write_result_line) {
    std::string line = f.output_details ? report::RenderResultLine(info, m, sent, rules)
                                        : report::RenderResultLine(info, m);
    std::ofstream out(output_file, std::ios::app | std::ios::binary);
    out << line << '\n';
    if (!out) return MakeError("--output-file {}: cannot write", output_file);
  }
  if (!f.csv.empty()) {
    Status s = report::AppendCsv(f.csv, report::CsvHeader(info), report::CsvRow(info, m));
    if (!s) return std::unexpected(s.error());
  }
  return Ok();
}

}  // namespace servebench::app
