// The `servebench run` flags of vLLM's result file (`--save-result` and its companions,
// spec/cli.md §1.8, §6) and of the request log (`--request-log`, load.md §13).
#pragma once

#include <CLI/CLI.hpp>

#include "app/run_flags.h"

namespace servebench::app {

void AddResultFileFlags(CLI::App& cmd, RunFlags& f);

}  // namespace servebench::app
