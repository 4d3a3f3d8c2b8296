// The CSV row of a run (spec/cli.md §5): LMDeploy profile_restful_api's columns for open-loop
// runs, profile_throughput's for closed loops (`--concurrency`).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "metrics/aggregate.h"
#include "report/run_info.h"

namespace servebench::report {

// The header line (with newline) for the run's kind: closed loop when closed_loop_concurrency
// is set.
std::string CsvHeader(const RunInfo& info);

// One data line (with newline).
std::string CsvRow(const RunInfo& info, const metrics::RunMetrics& m);

// Appends `row` to the file at `path`, writing `header` first when the file is new or empty.
Status AppendCsv(const std::string& path, std::string_view header, std::string_view row);

}  // namespace servebench::report
