// How `servebench run` times its requests beyond a plain rate (spec/load.md §5, §6, §9): the
// ramp-up and trace-timing flags applied to load::LoadOptions, the trace timestamps taken from
// the workload rows, what the outputs say about it (`trace` rate, rps_change_events), and the
// pause after the warmup.
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "app/run_flags.h"
#include "common/status.h"
#include "dataset/workload_row.h"
#include "load/schedule.h"
#include "metrics/compat.h"
#include "report/run_info.h"

namespace servebench::app {

// --ramp-up-strategy with --ramp-up-start-rps and --ramp-up-end-rps (all three or none), and
// trace timing (always for mooncake, else --use-trace-timestamps) with
// --mooncake-slowdown-factor, set on `load`. Errors name the flags; combinations load.md forbids
// are left to load::ValidateLoadOptions. With trace timing a finite --request-rate is ignored
// (set to inf, with a notice on stderr). Also checks --turn-gap-ms, --post-warmup-sleep and
// --multi-turn-history.
Status ApplyTimingFlags(const RunFlags& f, load::LoadOptions& load);

// Every row's timestamp in ms, for trace timing; an error naming the first row without one.
Expected<std::vector<double>> TraceTimestamps(std::span<const dataset::WorkloadRow> rows);

// The schedule of `rows` under `load`: trace-timed from the rows' timestamps, else as
// load::BuildSchedule.
Expected<load::Schedule> BuildRowSchedule(std::span<const dataset::WorkloadRow> rows,
                                          const load::LoadOptions& load, uint64_t seed);

// The outputs' view of the timing: request rate shown as `trace`, the ramp-up keys and
// rps_change_events from the schedule.
void DescribeTiming(const RunFlags& f, const load::LoadOptions& load,
                    const load::Schedule& schedule, report::RunInfo& info);

// --post-warmup-sleep: the flag when given, else the compat mode's pause (sglang 1.0 s,
// lmdeploy 1.5 s), else 0.
double PostWarmupSleepSeconds(const RunFlags& f, metrics::Compat compat);

// Sleeps `seconds`, returning early once `stop` is set.
void SleepUnlessStopped(double seconds, const std::atomic<bool>& stop);

}  // namespace servebench::app
