// `--compat vllm` readiness (spec/load.md §8): instead of probing a URL, the first real request
// of the workload is sent every 5 s until it succeeds or --ready-check-timeout-sec passes, as
// vLLM does.
#pragma once

#include <atomic>

#include "app/run_context.h"
#include "app/run_cycle.h"
#include "app/run_flags.h"

namespace servebench::app {

// Whether this run waits by first request rather than by the probe of run_prepare.cpp.
bool ReadyByFirstRequest(const RunFlags& f, const Prepared& p);

// Sends plan.measured's first request until it succeeds; exit code 1 with a line naming the
// URL and the last outcome after the timeout, 130 on Ctrl-C.
RunExpected<void> WaitReadyByFirstRequest(const RunFlags& f, const RunPlan& plan,
                                          const std::atomic<bool>& stop);

}  // namespace servebench::app
