// `--plot-throughput` (spec/cli.md §1.8): a terminal plot, after the run, of output tokens per
// second and requests in flight over the measured phase, from the records' own times.
//
// The phase (t0 to the last request's end) is cut into at most kMaxPlotRows equal bins of a
// whole number of seconds. Per bin: output tokens/s = tokens of the token events read in it
// (an event of unknown count counts 1) / bin seconds; in flight = the time-weighted mean number
// of requests between send and end (a request without an end counts until the phase's end).
// Each figure gets a bar of '#' scaled to its own maximum.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "metrics/request_record.h"

namespace servebench::report {

inline constexpr size_t kMaxPlotRows = 60;

struct ThroughputBin {
  double start_s = 0;
  double seconds = 1;
  double output_tokens_per_s = 0;
  double mean_in_flight = 0;
};

std::vector<ThroughputBin> ThroughputBins(std::span<const metrics::RequestRecord> records);

// The plot's lines (a title line, one line per bin), or a one-line note when nothing was sent.
std::string RenderThroughputPlot(std::span<const ThroughputBin> bins);

}  // namespace servebench::report
