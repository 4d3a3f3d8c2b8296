// The rates a run measures (spec/load.md §10): the one --request-rate, or with --multi the list of
// --request-rates or --request-rate-range. Notices and warnings go to stderr as one line each.
#pragma once

#include <vector>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "common/status.h"

namespace servebench::app {

// `p` supplies the validated --request-rate and load plan. Also checks --calibrate-seconds and
// --flush-cache-timeout, so that every value fails before the server is contacted. Errors name
// the flag.
Expected<std::vector<double>> SweepRates(const RunFlags& f, const Prepared& p);

}  // namespace servebench::app
