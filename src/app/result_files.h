// The run's optional per-run files beside the JSONL: vLLM's result file (`--save-result`,
// spec/cli.md §6) and the request log (`--request-log`, load.md §13). Opened once before the
// server is contacted, so bad flag values fail at once; written after every phase, also when
// the phase was interrupted. Decisions: docs/outputs.md.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/run_flags.h"
#include "common/status.h"
#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "report/request_log.h"
#include "report/run_info.h"
#include "report/vllm_result.h"

namespace servebench::app {

class ResultFiles {
 public:
  // Parses --metadata, creates --result-dir, checks that the result file's directory is
  // writable and creates (truncates) the request log. Errors name the flag. `kernel_timestamps`:
  // the run records socket waits (the request log's event_socket_waits).
  static Expected<std::unique_ptr<ResultFiles>> Open(const RunFlags& f, bool kernel_timestamps);

  // Request log lines of a phase's sent requests ("warmup" or "measured") at `rate`.
  Status LogRequests(std::string_view phase, double rate,
                     std::span<const metrics::RequestRecord> sent);

  // After a measured phase at info.request_rate: its request log lines, then the vLLM result
  // file (with --save-result or --append-result). The first rate of a run overwrites its file
  // unless --append-result; later rates that land in the same file (an explicit
  // --result-filename) are appended.
  Status WriteMeasured(const report::RunInfo& info, const metrics::RunMetrics& m,
                       std::span<const metrics::RequestRecord> sent,
                       const metrics::MeasurementRules& rules);

 private:
  ResultFiles() = default;

  Status WriteVllmResult(const report::RunInfo& info, const metrics::RunMetrics& m,
                         std::span<const metrics::RequestRecord> sent,
                         const metrics::MeasurementRules& rules);

  bool save_result_ = false;
  bool append_result_ = false;
  std::string result_dir_;
  std::string result_filename_;
  report::VllmResultOptions options_;
  std::vector<std::string> lora_names_;
  bool kernel_timestamps_ = false;
  std::optional<report::RequestLog> request_log_;
  std::set<std::string> written_;  // result files this run has written already
};

}  // namespace servebench::app
