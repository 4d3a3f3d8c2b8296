// The console result table (spec/cli.md §2): SGLang's layout with servebench's blocks by
// default, or the layout of the reference tool in each `--compat` mode. Formatting only: every
// number comes from the aggregates.
#pragma once

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

// "inf", "trace", or the rate with at least one fractional digit ("4.0").
std::string RequestRateText(const RunInfo& info);

}  // namespace servebench::report
