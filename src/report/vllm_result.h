// vLLM's result file (`--save-result`, spec/cli.md §6) and the default output file names
// (cli.md §7). Formatting only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "metrics/aggregate.h"
#include "metrics/request_figures.h"
#include "metrics/request_record.h"
#include "report/run_info.h"

namespace servebench::report {

struct VllmResultOptions {
  std::string label;                                          // --label (default: the backend)
  std::vector<std::pair<std::string, std::string>> metadata;  // --metadata K=V, in order
  bool save_detailed = false;                                 // --save-detailed
  // vLLM's `date` value, the same YYYYmmdd-HHMMSS stamp as the file name; empty: info.date.
  std::string date;
};

// The result object (one JSON object, no trailing newline). `records` feed the detailed arrays.
std::string RenderVllmResult(const RunInfo& info, const metrics::RunMetrics& m,
                             const VllmResultOptions& options,
                             std::span<const metrics::RequestRecord> records = {},
                             const metrics::MeasurementRules& rules = {});

// `{label}-{rate}qps[-concurrency{N}]-{model basename}-{timestamp}.json` (ramp-up:
// `{label}-ramp-up-{strategy}-{start}qps-{end}qps[...]`); timestamp is YYYYmmdd-HHMMSS.
std::string VllmResultFileName(const RunInfo& info, const VllmResultOptions& options,
                               std::string_view timestamp);

// YYYYmmdd-HHMMSS in local time: vLLM's `date` and file-name stamp.
std::string VllmTimestamp(int64_t unix_ns);

// Writes `object` and a newline to `path`: overwrites, or with `append` adds a line (after a
// newline when the file's last line lacks one, as vLLM's own appends leave it). Errors name
// --save-result and the path.
Status WriteVllmResultFile(const std::string& path, std::string_view object, bool append);

// SGLang's default JSONL name: `{backend}_{MMDD}_{N}_{in}_{out}_{k}imgs_{res}.jsonl` for image,
// `{backend}_{MMDD}_{N}_{in}_{out}.jsonl` for datasets starting with "random", else
// `{backend}_{MMDD}_{N}_{dataset}.jsonl`. `--compat lmdeploy` uses LMDeploy's names
// (`..._sharegpt.csv` for non-random datasets).
std::string DefaultOutputFileName(const RunInfo& info, std::string_view mmdd, int64_t image_count,
                                  std::string_view image_resolution);

// --metadata K=V: split at the first '=', both sides trimmed.
Expected<std::pair<std::string, std::string>> ParseMetadataPair(std::string_view item);

}  // namespace servebench::report
