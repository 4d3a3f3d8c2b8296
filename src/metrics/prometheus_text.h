// A reader of the Prometheus text exposition format (version 0.0.4) as servers serve it on
// /metrics: enough to take counter deltas around a run (spec/metrics.md §10). Histograms and
// summaries come through as their plain `_bucket`/`_sum`/`_count` samples.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::metrics {

struct PrometheusSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;  // may be NaN or ±Inf
  // Declared by a `# TYPE <family> counter` line (a counter's `_created` series is not).
  bool counter = false;

  // `name{l1="v1",l2="v2"}`, labels sorted by name; just `name` without labels.
  std::string Key() const;
};

using PrometheusScrape = std::vector<PrometheusSample>;

// Parses the text; an error names the line number and what was expected there.
Expected<PrometheusScrape> ParsePrometheusText(std::string_view text);

// Whether `sample` is the series `name` (or `name_total`: counters carry the suffix in the
// exposition only) and carries every label of `want`.
bool SeriesMatches(const PrometheusSample& sample, std::string_view name,
                   const std::map<std::string, std::string>& want = {});

// The sum over the matching series (e.g. over engines and model names); 0 when none matches.
double SumSeries(const PrometheusScrape& scrape, std::string_view name,
                 const std::map<std::string, std::string>& want = {});

}  // namespace servebench::metrics
