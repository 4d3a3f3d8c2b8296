// The row the warmup sends (spec/load.md §9): row 0, except that generated-shared-prefix sends
// only its group's system prompt (so the measured run is not a 100 % prefix hit) and mooncake
// sends its own longer prompt over the first session's hash ids.
#pragma once

#include "dataset/workload_row.h"

namespace servebench::dataset {

// `first` is row 0 with a session already reduced to its first round.
WorkloadRow WarmupRow(const WorkloadRow& first);

}  // namespace servebench::dataset
