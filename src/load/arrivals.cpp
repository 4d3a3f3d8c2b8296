#include "load/arrivals.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace servebench::load {

namespace {

int64_t SecondsToNanos(double seconds) {
  return std::llround(seconds * 1e9);
}

}  // namespace

Expected<std::vector<double>> DrawUnitGaps(size_t count, double burstiness,
                                           RandomStream& arrivals) {
  if (!(burstiness > 0)) {
    return MakeError("--burstiness: expected a number > 0 or inf, got {}", burstiness);
  }
  std::vector<double> gaps(count);
  for (double& gap : gaps) {
    if (std::isinf(burstiness)) {
      gap = 1.0;
    } else if (burstiness == 1.0) {
      gap = arrivals.Exponential();
    } else {
      gap = arrivals.Gamma(burstiness) / burstiness;
    }
  }
  return gaps;
}

std::vector<int64_t> ScheduleFromUnitGaps(std::span<const double> unit_gaps, size_t n,
                                          double request_rate, FirstArrival first, bool normalize) {
  std::vector<double> seconds(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    if (first == FirstArrival::kAfterGap) sum += unit_gaps[i];
    seconds[i] = sum / request_rate;
    if (first == FirstArrival::kAtZero && i + 1 < n) sum += unit_gaps[i];
  }
  if (normalize && n > 0) {
    double target =
        (first == FirstArrival::kAtZero ? static_cast<double>(n - 1) : static_cast<double>(n)) /
        request_rate;
    double last = seconds.back();
    if (last > 0) {
      for (double& s : seconds)
        s *= target / last;
    }
  }
  std::vector<int64_t> offsets(n);
  std::transform(seconds.begin(), seconds.end(), offsets.begin(), SecondsToNanos);
  return offsets;
}

double RampRate(const RampUp& ramp, size_t i, size_t n) {
  size_t last = n > 1 ? n - 1 : 1;
  double progress = static_cast<double>(i) / static_cast<double>(last);
  if (ramp.strategy == RampUpStrategy::kLinear) {
    return ramp.start_rps + (ramp.end_rps - ramp.start_rps) * progress;
  }
  return ramp.start_rps * std::pow(ramp.end_rps / ramp.start_rps, progress);
}

Expected<RampSchedule> RampUpSchedule(std::span<const double> unit_gaps, size_t n,
                                      const RampUp& ramp, FirstArrival first) {
  if (!(ramp.start_rps >= 0) || !(ramp.end_rps >= 0) || std::isinf(ramp.start_rps) ||
      std::isinf(ramp.end_rps)) {
    return MakeError(
        "--ramp-up-start-rps/--ramp-up-end-rps: expected finite numbers >= 0, got {} and {}",
        ramp.start_rps, ramp.end_rps);
  }
  if (ramp.strategy == RampUpStrategy::kExponential && !(ramp.start_rps > 0)) {
    return MakeError("--ramp-up-start-rps: an exponential ramp needs a start rate > 0");
  }
  RampSchedule out;
  out.offsets_ns.resize(n);
  double sum = 0;
  int64_t previous_floor = -1;
  for (size_t i = 0; i < n; ++i) {
    double rate = RampRate(ramp, i, n);
    bool needs_gap = i >= 1 || first == FirstArrival::kAfterGap;
    if (needs_gap) {
      if (!(rate > 0)) {
        return MakeError("--ramp-up-start-rps: the ramp's rate for request {} is 0", i);
      }
      sum += unit_gaps[first == FirstArrival::kAfterGap ? i : i - 1] / rate;
    }
    out.offsets_ns[i] = SecondsToNanos(sum);
    int64_t floor_rate = static_cast<int64_t>(std::floor(rate));
    if (i == 0 || floor_rate != previous_floor) {
      out.rps_changes.push_back(RpsChange{floor_rate, sum});
    }
    previous_floor = floor_rate;
  }
  return out;
}

Expected<TraceSchedule> TraceTimedSchedule(std::span<const double> timestamps_ms,
                                           double slowdown_factor) {
  if (!(slowdown_factor > 0) || std::isinf(slowdown_factor)) {
    return MakeError("--mooncake-slowdown-factor: expected a finite number > 0, got {}",
                     slowdown_factor);
  }
  for (size_t i = 0; i < timestamps_ms.size(); ++i) {
    if (!std::isfinite(timestamps_ms[i])) {
      return MakeError("trace timestamp of row {}: expected a finite number of ms", i);
    }
  }
  TraceSchedule out;
  out.order.resize(timestamps_ms.size());
  std::iota(out.order.begin(), out.order.end(), size_t{0});
  std::stable_sort(out.order.begin(), out.order.end(),
                   [&](size_t a, size_t b) { return timestamps_ms[a] < timestamps_ms[b]; });
  if (out.order.empty()) return out;
  double origin = timestamps_ms[out.order.front()];
  for (size_t row : out.order) {
    out.offsets_ns.push_back(
        SecondsToNanos((timestamps_ms[row] - origin) / 1000.0 * slowdown_factor));
  }
  return out;
}

double ScheduledRequestRate(std::span<const int64_t> offsets_ns) {
  if (offsets_ns.size() < 2) return 0;
  auto [lo, hi] = std::minmax_element(offsets_ns.begin(), offsets_ns.end());
  if (*hi == *lo) return 0;
  return static_cast<double>(offsets_ns.size() - 1) / (static_cast<double>(*hi - *lo) / 1e9);
}

}  // namespace servebench::load
