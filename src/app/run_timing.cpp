#include "app/run_timing.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "app/run_sessions.h"

namespace servebench::app {

Status ApplyTimingFlags(const RunFlags& f, load::LoadOptions& load) {
  const bool any_ramp = f.ramp_up_strategy || f.ramp_up_start_rps || f.ramp_up_end_rps;
  if (any_ramp) {
    if (!f.ramp_up_strategy || !f.ramp_up_start_rps || !f.ramp_up_end_rps) {
      return MakeError(
          "--ramp-up-strategy, --ramp-up-start-rps and --ramp-up-end-rps: expected all three "
          "together");
    }
    load::RampUp ramp;
    if (*f.ramp_up_strategy == "linear") {
      ramp.strategy = load::RampUpStrategy::kLinear;
    } else if (*f.ramp_up_strategy == "exponential") {
      ramp.strategy = load::RampUpStrategy::kExponential;
    } else {
      return MakeError("--ramp-up-strategy: expected linear or exponential, got '{}'",
                       *f.ramp_up_strategy);
    }
    ramp.start_rps = *f.ramp_up_start_rps;
    ramp.end_rps = *f.ramp_up_end_rps;
    if (!(ramp.start_rps >= 0) || !std::isfinite(ramp.start_rps)) {
      return MakeError("--ramp-up-start-rps: expected a finite number >= 0, got {}",
                       ramp.start_rps);
    }
    if (!(ramp.end_rps >= 0) || !std::isfinite(ramp.end_rps)) {
      return MakeError("--ramp-up-end-rps: expected a finite number >= 0, got {}", ramp.end_rps);
    }
    if (ramp.strategy == load::RampUpStrategy::kExponential && !(ramp.start_rps > 0)) {
      return MakeError("--ramp-up-start-rps: an exponential ramp needs a start rate > 0");
    }
    load.ramp_up = ramp;
  }
  load.trace_timing = f.dataset_name == "mooncake" || f.use_trace_timestamps;
  load.trace_slowdown = f.mooncake_slowdown_factor;
  if (!(f.mooncake_slowdown_factor > 0) || !std::isfinite(f.mooncake_slowdown_factor)) {
    return MakeError("--mooncake-slowdown-factor: expected a finite number > 0, got {}",
                     f.mooncake_slowdown_factor);
  }
  if (load.trace_timing && !load.ramp_up && !load.concurrency) {
    // The trace decides the times: a finite --request-rate is ignored, with a notice.
    if (std::isfinite(load.request_rate)) {
      std::fprintf(stderr,
                   "servebench run: --request-rate %s is ignored: the trace's timestamps time the "
                   "requests\n",
                   f.request_rate.c_str());
    }
    load.request_rate = std::numeric_limits<double>::infinity();
  }
  if (f.turn_gap_ms < 0 || !std::isfinite(f.turn_gap_ms)) {
    return MakeError("--turn-gap-ms: expected a number of ms >= 0, got {}", f.turn_gap_ms);
  }
  if (auto mode = ParseHistoryMode(f.multi_turn_history); !mode) {
    return std::unexpected(mode.error());
  }
  if (f.post_warmup_sleep_s && !(*f.post_warmup_sleep_s >= 0)) {
    return MakeError("--post-warmup-sleep: expected seconds >= 0, got {}", *f.post_warmup_sleep_s);
  }
  return Ok();
}

Expected<std::vector<double>> TraceTimestamps(std::span<const dataset::WorkloadRow> rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].timestamp_ms) {
      return MakeError(
          "--use-trace-timestamps: row {} of the dataset has no timestamp (expected a numeric "
          "`timestamp` in ms on every row)",
          i);
    }
    out.push_back(*rows[i].timestamp_ms);
  }
  return out;
}

Expected<load::Schedule> BuildRowSchedule(std::span<const dataset::WorkloadRow> rows,
                                          const load::LoadOptions& load, uint64_t seed) {
  if (!load.trace_timing) return load::BuildSchedule(rows.size(), load, seed);
  auto timestamps = TraceTimestamps(rows);
  if (!timestamps) return std::unexpected(timestamps.error());
  return load::BuildSchedule(rows.size(), load, seed, *timestamps);
}

void DescribeTiming(const RunFlags& f, const load::LoadOptions& load,
                    const load::Schedule& schedule, report::RunInfo& info) {
  info.trace_timing = load.trace_timing;
  if (!load.ramp_up) return;
  report::RampUpInfo ramp;
  ramp.strategy = f.ramp_up_strategy.value_or("");
  ramp.start_rps = load.ramp_up->start_rps;
  ramp.end_rps = load.ramp_up->end_rps;
  for (const load::RpsChange& change : schedule.rps_changes)
    ramp.rps_change_events.push_back({change.rps, change.time_s});
  info.ramp_up = std::move(ramp);
}

double PostWarmupSleepSeconds(const RunFlags& f, metrics::Compat compat) {
  if (f.post_warmup_sleep_s) return *f.post_warmup_sleep_s;
  if (compat == metrics::Compat::kSglang) return 1.0;
  if (compat == metrics::Compat::kLmdeploy) return 1.5;
  return 0;
}

void SleepUnlessStopped(double seconds, const std::atomic<bool>& stop) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::nanoseconds(static_cast<int64_t>(seconds * 1e9));
  while (!stop.load(std::memory_order_relaxed)) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        deadline - now, std::chrono::milliseconds(20)));
  }
}

}  // namespace servebench::app
