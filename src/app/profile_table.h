// The console table of a run: LMDeploy profile_throughput's table for `--compat lmdeploy` with a
// closed loop (cli.md §2) — computed from the records by its own per-request rules (metrics.md
// §12) — else the table of report::RenderConsole. Shared by `run` and `throughput`.
#pragma once

#include <span>
#include <string>

#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "report/run_info.h"

namespace servebench::app {

std::string ConsoleTable(const report::RunInfo& info, const metrics::RunMetrics& m,
                         std::span<const metrics::RequestRecord> sent, double cancel_rate);

}  // namespace servebench::app
