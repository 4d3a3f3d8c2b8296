// The per-rate cycle of `servebench run` (spec/load.md §1 steps 6–9, §10): warmup, cache flush,
// pause, profiler start, measured phase, profiler stop, outputs. A plain run is a sweep of one
// rate; `--multi` repeats the cycle per rate and ends with the sweep summary.
#pragma once

#include <atomic>
#include <vector>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "app/run_phases.h"
#include "client/run_driver.h"

namespace servebench::app {

// What every rate's cycle reuses: loop settings, the warmup and the measured work (the
// measured schedule is rescaled for each rate from its unit gaps).
struct RunPlan {
  client::DriverOptions driver;
  PhaseWork warmup;
  PhaseWork measured;
};

// Runs every rate of the plan; returns the process exit code (cli.md §7). A failure is printed
// as one line.
int RunRates(const RunFlags& f, const Prepared& p, const RunPlan& plan,
             const std::atomic<bool>& stop);

}  // namespace servebench::app
