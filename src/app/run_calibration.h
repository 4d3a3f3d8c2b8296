// `--calibrate` (spec/beyond.md 2): before the real run, the same schedule is replayed for up to
// --calibrate-seconds against an in-process serve-sim that answers instantly (same family, same
// bodies and output lengths, over loopback), to learn what this client sustains on this machine.
#pragma once

#include <atomic>

#include "app/run_context.h"
#include "app/run_cycle.h"
#include "app/run_flags.h"
#include "metrics/calibration.h"

namespace servebench::app {

// Replays plan.measured at `rate` (send lag) and, when that rate paces the schedule, once more
// with every request released at once (sustained token events/s); decides the warning against
// `rate`'s planned token-event rate.
RunExpected<metrics::Calibration> Calibrate(const RunFlags& f, const Prepared& p,
                                            const RunPlan& plan, double rate,
                                            const std::atomic<bool>& stop);

}  // namespace servebench::app
