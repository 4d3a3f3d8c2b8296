#include "metrics/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace servebench::metrics {

double Percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return 0;
  double h = static_cast<double>(sorted.size() - 1) * p / 100.0;
  size_t f = static_cast<size_t>(std::floor(h));
  if (f >= sorted.size() - 1) return sorted.back();
  return sorted[f] + (h - static_cast<double>(f)) * (sorted[f + 1] - sorted[f]);
}

Summary Summarize(std::vector<double> sample, std::span<const double> percentiles) {
  Summary s;
  s.count = sample.size();
  for (double p : percentiles)
    s.percentiles.emplace_back(p, 0.0);
  if (sample.empty()) return s;
  std::sort(sample.begin(), sample.end());
  double sum = 0;
  for (double x : sample)
    sum += x;
  s.mean = sum / static_cast<double>(sample.size());
  double squares = 0;
  for (double x : sample)
    squares += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(squares / static_cast<double>(sample.size()));
  s.min = sample.front();
  s.max = sample.back();
  s.median = Percentile(sample, 50);
  for (auto& [p, value] : s.percentiles)
    value = Percentile(sample, p);
  return s;
}

double PercentileOf(const Summary& summary, double p) {
  for (const auto& [q, value] : summary.percentiles) {
    if (q == p) return value;
  }
  return 0;
}

std::string PercentileLabel(double p) {
  if (p == std::floor(p)) return fmt::format("{}", static_cast<long long>(p));
  return fmt::format("{}", p);
}

Expected<std::vector<double>> ParseMetricPercentiles(std::string_view value) {
  std::vector<double> out;
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    std::string_view item = value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    double p = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), p);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || !(p >= 0) ||
        !(p <= 100)) {
      return MakeError("--metric-percentiles: expected numbers in [0, 100], got '{}'", item);
    }
    out.push_back(p);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<double> DefaultPercentiles() {
  return {90, 95, 99};
}

}  // namespace servebench::metrics
