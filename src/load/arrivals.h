// Open-loop arrival schedules (spec/load.md §4–§6): absolute send offsets computed before the
// run from the seed, so sends never drift and two rates of a sweep are time-scaled copies.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "load/random_stream.h"

namespace servebench::load {

// Where the first request leaves: at t0 (SGLang, LMDeploy, servebench) or one gap after t0
// (vLLM, `--compat vllm`).
enum class FirstArrival { kAtZero, kAfterGap };

// `count` unit-rate gaps (mean 1) for `--burstiness` k: exponential for k = 1, gamma(k)/k for
// other finite k > 0, constant 1 for k = inf. Draw j is the gap before request j + 1 (kAtZero) or
// before request j (kAfterGap), so both conventions share the same draws. k <= 0 is an error.
Expected<std::vector<double>> DrawUnitGaps(size_t count, double burstiness, RandomStream& arrivals);

// Send offsets in ns for `n` requests at `request_rate` req/s (finite, > 0) from unit gaps
// (at least n of them). `normalize` (`--schedule-normalize`) scales the offsets so the last one
// is exactly (n - 1)/rate (kAtZero) or n/rate (kAfterGap).
std::vector<int64_t> ScheduleFromUnitGaps(std::span<const double> unit_gaps, size_t n,
                                          double request_rate, FirstArrival first, bool normalize);

// `--ramp-up-strategy`.
enum class RampUpStrategy { kLinear, kExponential };

struct RampUp {
  RampUpStrategy strategy = RampUpStrategy::kLinear;
  double start_rps = 0;
  double end_rps = 0;
};

// One entry of `rps_change_events`: the integer rate in force from `time_s` on.
struct RpsChange {
  int64_t rps = 0;
  double time_s = 0;
};

struct RampSchedule {
  std::vector<int64_t> offsets_ns;
  std::vector<RpsChange> rps_changes;
};

// The rate of request i under a ramp: linear or geometric from start to end over i = 0..n-1.
double RampRate(const RampUp& ramp, size_t i, size_t n);

// Offsets for a ramp (load.md §5): the gap before request i is unit_gaps[.] / RampRate(i).
// Errors: negative endpoints, an exponential ramp starting at 0, a zero rate where a gap needs it.
Expected<RampSchedule> RampUpSchedule(std::span<const double> unit_gaps, size_t n,
                                      const RampUp& ramp, FirstArrival first);

struct TraceSchedule {
  std::vector<size_t> order;        // row indices, stably sorted by timestamp
  std::vector<int64_t> offsets_ns;  // offsets_ns[k] belongs to row order[k]
};

// Trace timing (load.md §6): offset = (ts - ts_min) / 1000 * slowdown seconds, rows stably sorted
// by their timestamp in ms. slowdown must be > 0.
Expected<TraceSchedule> TraceTimedSchedule(std::span<const double> timestamps_ms,
                                           double slowdown_factor);

// `scheduled_request_rate` = (n - 1) / (last - first offset) in req/s; 0 when undefined.
double ScheduledRequestRate(std::span<const int64_t> offsets_ns);

}  // namespace servebench::load
