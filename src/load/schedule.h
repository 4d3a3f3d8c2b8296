// The load plan of a run (spec/load.md §4–§7): one plain options struct, validated as a whole,
// turned into a Schedule by a pure function of (request count, options, seed).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "load/arrivals.h"

namespace servebench::load {

struct LoadOptions {
  double request_rate = std::numeric_limits<double>::infinity();  // --request-rate
  double burstiness = 1.0;                                        // --burstiness
  bool schedule_normalize = false;                                // --schedule-normalize
  FirstArrival first_arrival = FirstArrival::kAtZero;             // kAfterGap in --compat vllm
  std::optional<int64_t> max_concurrency;                         // --max-concurrency
  std::optional<int64_t> concurrency;                             // --concurrency / -c
  std::optional<RampUp> ramp_up;                                  // --ramp-up-*
  bool trace_timing = false;    // mooncake or --use-trace-timestamps
  double trace_slowdown = 1.0;  // --mooncake-slowdown-factor
};

// Rejects values and combinations load.md forbids, with one line naming the flags.
Status ValidateLoadOptions(const LoadOptions& options);

enum class ScheduleKind { kOpenLoop, kClosedLoop };

struct Schedule {
  ScheduleKind kind = ScheduleKind::kOpenLoop;
  // Open loop: row index of the k-th request to send and its offset from t0 in ns. Row order
  // except with trace timing (stably sorted by timestamp).
  std::vector<size_t> order;
  std::vector<int64_t> offsets_ns;
  std::optional<int64_t> max_concurrency;  // open loop cap
  int64_t workers = 0;                     // closed loop
  std::vector<RpsChange> rps_changes;      // with a ramp
  // Unit gaps the offsets came from; a sweep rescales these for every rate.
  std::vector<double> unit_gaps;
};

// Builds the schedule of `requests` requests. `trace_timestamps_ms` (one per row) is used only
// with options.trace_timing. The `arrivals` stream of `seed` supplies the gaps.
Expected<Schedule> BuildSchedule(size_t requests, const LoadOptions& options, uint64_t seed,
                                 std::span<const double> trace_timestamps_ms = {});

// The same schedule at another rate (a `--multi` step): same unit gaps, new offsets.
Schedule RescaleSchedule(const Schedule& schedule, const LoadOptions& options, double rate);

}  // namespace servebench::load
