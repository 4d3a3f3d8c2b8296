// The `servebench run` flags of rate sweeps, calibration, server control and profiling
// (spec/cli.md §1.4, §1.7, beyond.md 2), and the positional operands of LMDeploy's form
// (cli.md §1.9), declared on the run subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include "app/run_flags.h"

namespace servebench::app {

void AddSweepAndControlFlags(CLI::App& cmd, RunFlags& f);

}  // namespace servebench::app
