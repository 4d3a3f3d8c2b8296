// The JSONL result line (spec/cli.md §3–§4): SGLang's keys first, then servebench's, in the
// spec's order; with `--output-details` the per-request arrays follow.
#pragma once

#include <span>
#include <string>

#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "report/run_info.h"

namespace servebench::report {

// One JSON object, without the trailing newline. `details` (the sent records in row order) adds
// the per-request arrays of cli.md §4 when non-empty; `rules` are the run's measurement rules.
std::string RenderResultLine(const RunInfo& info, const metrics::RunMetrics& m,
                             std::span<const metrics::RequestRecord> details = {},
                             const metrics::MeasurementRules& rules = {});

}  // namespace servebench::report
