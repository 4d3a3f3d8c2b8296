// The flags of serve-sim's engine model (sim::EngineOptions), shared by `servebench serve-sim`
// and `servebench throughput` so both name and check them the same way.
#pragma once

#include <vector>

#include <CLI/CLI.hpp>

#include "sim/options.h"

namespace servebench::app {

// Declares --max-running, --kv-tokens, --prefill-chunk, --step-base-ms, --prefill-us-per-token
// and --decode-us-per-seq on `cmd`, writing into `options` (whose values are the defaults shown).
// Returns the options, so a caller can tell which were given.
std::vector<CLI::Option*> AddEngineModelFlags(CLI::App* cmd, sim::EngineOptions& options);

}  // namespace servebench::app
