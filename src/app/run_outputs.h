// The outputs of one measured phase (spec/load.md §1 step 9, cli.md §2–§5): the RunInfo the
// report module renders, the console table, the JSONL line and the CSV row.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "report/run_info.h"

namespace servebench::app {

// The run's settings and identities at `rate`; date and start are set by StampStart.
report::RunInfo MakeRunInfo(const RunFlags& f, const Prepared& p, double rate);

// Sets date and start_unix_ns from the phase's wall-clock anchor; returns the local MMDD of the
// default file names.
std::string StampStart(report::RunInfo& info, int64_t start_unix_ns);

// --output-file, else the default name of cli.md §7.
std::string OutputFileName(const RunFlags& f, const report::RunInfo& info, const std::string& mmdd);

// Prints the table (and the token-count warning), appends the JSONL line to `output_file` and,
// with --csv, the CSV row. `sent` feeds --output-details.
Status WriteOutputs(const RunFlags& f, const report::RunInfo& info, const metrics::RunMetrics& m,
                    std::span<const metrics::RequestRecord> sent,
                    const metrics::MeasurementRules& rules, const std::string& output_file);

}  // namespace servebench::app
