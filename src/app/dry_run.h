// `servebench run --dry-run`: everything a run prepares before its first request (tokenizer,
// dataset, filtering, sampling, schedule), then the workload summary on stdout; no server is
// contacted, so the model name comes from --served-model-name / --model or the tokenizer.
#pragma once

#include "app/run_context.h"
#include "app/run_flags.h"

namespace servebench::app {

// Returns the exit code: 0, or 2 with a one-line error on stderr.
int RunDryRun(const RunFlags& flags, Prepared& prepared);

}  // namespace servebench::app
