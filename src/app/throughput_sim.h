// `servebench throughput --engine sim`: the ShareGPT rows run through serve-sim's engine model in
// simulated time (sim/closed_loop.h), turned into request records with the engine's own token
// times, then reported like a closed-loop `--compat lmdeploy` run.
#pragma once

#include "app/run_flags.h"
#include "app/throughput_flags.h"

namespace servebench::app {

// `run` holds the dataset flags derived from `flags`. Returns the exit code.
int RunEngineProfile(const ThroughputFlags& flags, const RunFlags& run);

}  // namespace servebench::app
