#include "report/throughput_plot.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace servebench::report {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int kTokenBarWidth = 40;
constexpr int kFlightBarWidth = 20;

std::string Bar(double value, double max, int width) {
  if (max <= 0) return std::string(static_cast<size_t>(width), ' ');
  int n = static_cast<int>(std::lround(value / max * width));
  n = std::clamp(n, value > 0 ? 1 : 0, width);
  return std::string(static_cast<size_t>(n), '#') +
         std::string(static_cast<size_t>(width - n), ' ');
}

}  // namespace

std::vector<ThroughputBin> ThroughputBins(std::span<const metrics::RequestRecord> records) {
  int64_t end = 0;
  bool any = false;
  for (const metrics::RequestRecord& r : records) {
    any = true;
    end = std::max({end, r.send_time, r.end_time.value_or(0)});
    if (!r.event_times.empty()) end = std::max(end, r.event_times.back());
  }
  if (!any) return {};
  int64_t span_s = std::max<int64_t>(1, (end + kSecond - 1) / kSecond);
  int64_t bin_s =
      (span_s + static_cast<int64_t>(kMaxPlotRows) - 1) / static_cast<int64_t>(kMaxPlotRows);
  const int64_t bin_ns = bin_s * kSecond;
  const size_t count = static_cast<size_t>((span_s + bin_s - 1) / bin_s);
  std::vector<double> tokens(count, 0), busy_ns(count, 0);
  auto bin_of = [&](int64_t t) {
    return std::min(count - 1, static_cast<size_t>(std::max<int64_t>(0, t) / bin_ns));
  };
  for (const metrics::RequestRecord& r : records) {
    for (size_t k = 0; k < r.event_times.size(); ++k) {
      int32_t n = k < r.event_tokens.size() ? r.event_tokens[k] : metrics::kUnknownTokens;
      tokens[bin_of(r.event_times[k])] += n == metrics::kUnknownTokens ? 1 : n;
    }
    int64_t from = std::max<int64_t>(0, r.send_time);
    int64_t to = r.end_time.value_or(end);
    for (int64_t t = from; t < to;) {
      size_t b = bin_of(t);
      int64_t bin_end = static_cast<int64_t>(b + 1) * bin_ns;
      int64_t until = b + 1 == count ? to : std::min(to, bin_end);
      busy_ns[b] += static_cast<double>(until - t);
      t = until;
    }
  }
  std::vector<ThroughputBin> bins(count);
  for (size_t b = 0; b < count; ++b) {
    bins[b].start_s = static_cast<double>(b) * static_cast<double>(bin_s);
    bins[b].seconds = static_cast<double>(bin_s);
    bins[b].output_tokens_per_s = tokens[b] / static_cast<double>(bin_s);
    bins[b].mean_in_flight = busy_ns[b] / static_cast<double>(bin_ns);
  }
  return bins;
}

std::string RenderThroughputPlot(std::span<const ThroughputBin> bins) {
  if (bins.empty()) return "Throughput plot: no request was sent\n";
  double max_tokens = 0, max_flight = 0;
  for (const ThroughputBin& b : bins) {
    max_tokens = std::max(max_tokens, b.output_tokens_per_s);
    max_flight = std::max(max_flight, b.mean_in_flight);
  }
  std::string out =
      fmt::format("{:>9}  {:<{}} {:>10}  {:<{}} {:>8}\n", "time (s)", "output tokens/s",
                  kTokenBarWidth, "", "in flight", kFlightBarWidth, "");
  for (const ThroughputBin& b : bins) {
    out +=
        fmt::format("{:>9.0f}  {} {:>10.1f}  {} {:>8.1f}\n", b.start_s,
                    Bar(b.output_tokens_per_s, max_tokens, kTokenBarWidth), b.output_tokens_per_s,
                    Bar(b.mean_in_flight, max_flight, kFlightBarWidth), b.mean_in_flight);
  }
  return out;
}

}  // namespace servebench::report
