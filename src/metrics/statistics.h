// Summary statistics of one metric's sample (spec/metrics.md §6): mean, population std,
// NumPy-default ("type 7") interpolated percentiles, min, max; an empty sample reports zeros
// with count 0, so "no data" and a true 0 stay distinguishable through `count`.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace servebench::metrics {

struct Summary {
  size_t count = 0;
  double mean = 0;
  double median = 0;
  double std = 0;  // population standard deviation (divides by n)
  double min = 0;
  double max = 0;
  std::vector<std::pair<double, double>> percentiles;  // (P, value), in the order asked
};

// Percentile P (0..100) of an ascending sample by linear interpolation between order
// statistics; 0 for an empty sample.
double Percentile(std::span<const double> sorted, double p);

// Summarises `sample` (taken by value: it is sorted in place).
Summary Summarize(std::vector<double> sample, std::span<const double> percentiles);

// The value of percentile P in a summary, or 0 when P was not asked for.
double PercentileOf(const Summary& summary, double p);

// "99" for integral P, else the shortest decimal ("99.9"): the P in keys like p99.9_ttft_ms.
std::string PercentileLabel(double p);

// `--metric-percentiles "50,90,99.9"`: numbers in [0, 100], returned ascending without repeats.
Expected<std::vector<double>> ParseMetricPercentiles(std::string_view value);

// The default percentile list: 90, 95, 99.
std::vector<double> DefaultPercentiles();

}  // namespace servebench::metrics
