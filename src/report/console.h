// The console result table (spec/cli.md §2): SGLang's layout with servebench's blocks by
// default, or the layout of the reference tool in each `--compat` mode. Formatting only: every
// number comes from the aggregates.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "metrics/aggregate.h"
#include "metrics/lmdeploy_throughput.h"
#include "report/run_info.h"

namespace servebench::report {

// The result table of one run (one rate of a sweep), in the layout of info.compat.
std::string RenderConsole(const RunInfo& info, const metrics::RunMetrics& m);

// LMDeploy profile_throughput's table (`--compat lmdeploy` with `--concurrency`): 90 wide,
// values in seconds with 3 decimals.
std::string RenderProfileThroughput(const RunInfo& info, const metrics::LmdeployThroughput& t,
                                    double cancel_rate);

struct SweepRow {
  double request_rate = 0;
  metrics::RunMetrics metrics;
};

// The summary table printed after the last rate of `--multi`.
std::string RenderSweepSummary(std::span<const SweepRow> rows);

// The warning metrics.md §7 asks for (usage vs re-tokenized mismatches above 1 % of the
// successful requests, or requests short of their ignore-EOS length); nullopt when none is due.
std::optional<std::string> TokenCountWarning(const metrics::RunMetrics& m);

// The percentile list and printed metrics of a compat mode (metrics.md §12) for the flags the
// user did not give: vLLM prints P99 of ttft, tpot, itl; the others 90, 95, 99 of all four.
void ApplyCompatPrintDefaults(RunInfo& info, bool percentiles_given, bool metrics_given);

// "inf", "trace", or the rate with at least one fractional digit ("4.0").
std::string RequestRateText(const RunInfo& info);

}  // namespace servebench::report
