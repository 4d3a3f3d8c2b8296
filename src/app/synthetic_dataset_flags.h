// The `servebench run` flags of the synthetic and trace datasets (spec/cli.md §1.3:
// generated-shared-prefix, image, mooncake, sonnet, prefix_repetition), bound in place onto
// RunFlags::synthetic_dataset, which MapDatasetOptions starts from. The builders validate them.
#pragma once

#include <CLI/CLI.hpp>

#include "app/run_flags.h"

namespace servebench::app {

void AddSyntheticDatasetFlags(CLI::App& cmd, RunFlags& f);

}  // namespace servebench::app
