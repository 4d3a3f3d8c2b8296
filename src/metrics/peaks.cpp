#include "metrics/peaks.h"

#include <algorithm>
#include <utility>

namespace servebench::metrics {

namespace {

constexpr int64_t kSecond = 1'000'000'000;

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
int64_t CeilDiv(int64_t a, int64_t b) {
  return -FloorDiv(-a, b);
}

struct Buckets {
  int64_t t_min = 0;
  int64_t count = 0;
};

Buckets Layout(std::span<const PeakInput> requests) {
  Buckets b;
  b.t_min = requests.front().send_time;
  int64_t t_max = requests.front().send_time + requests.front().e2e_ns;
  for (const PeakInput& r : requests) {
    b.t_min = std::min(b.t_min, r.send_time);
    t_max = std::max(t_max, r.send_time + r.e2e_ns);
  }
  b.count = CeilDiv(t_max - b.t_min, kSecond) + 1;
  return b;
}

size_t BucketOf(const Buckets& b, int64_t t) {
  int64_t index = std::clamp<int64_t>(FloorDiv(t - b.t_min, kSecond), 0, b.count - 1);
  return static_cast<size_t>(index);
}

}  // namespace

double PeakOutputTokensPerSecond(std::span<const PeakInput> requests) {
  if (requests.empty()) return 0;
  Buckets b = Layout(requests);
  std::vector<int64_t> tokens(static_cast<size_t>(b.count), 0);
  for (const PeakInput& r : requests) {
    for (size_t k = 0; k < r.token_times.size(); ++k) {
      tokens[BucketOf(b, r.token_times[k])] += r.token_counts[k];
    }
  }
  return static_cast<double>(*std::max_element(tokens.begin(), tokens.end()));
}

int64_t PeakConcurrencySweep(std::span<const PeakInput> requests) {
  // (time, +1 start / -1 end); sorting pairs puts -1 before +1 at equal times.
  std::vector<std::pair<int64_t, int>> points;
  points.reserve(requests.size() * 2);
  for (const PeakInput& r : requests) {
    points.emplace_back(r.send_time, +1);
    points.emplace_back(r.send_time + r.e2e_ns, -1);
  }
  std::sort(points.begin(), points.end());
  int64_t running = 0, peak = 0;
  for (const auto& [time, delta] : points) {
    running += delta;
    peak = std::max(peak, running);
  }
  return peak;
}

int64_t PeakConcurrencyBuckets(std::span<const PeakInput> requests) {
  if (requests.empty()) return 0;
  Buckets b = Layout(requests);
  std::vector<int64_t> counts(static_cast<size_t>(b.count), 0);
  for (const PeakInput& r : requests) {
    size_t first = BucketOf(b, r.send_time);
    size_t last = BucketOf(b, r.send_time + r.e2e_ns);
    for (size_t k = first; k <= last; ++k)
      ++counts[k];
  }
  return *std::max_element(counts.begin(), counts.end());
}

}  // namespace servebench::metrics
