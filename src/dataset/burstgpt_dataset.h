// The `burstgpt` dataset (spec/datasets.md §12): request and response sizes of the BurstGPT
// trace (GPT-4 rows), with synthetic prompts of those sizes and the trace's timestamps.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// N rows drawn from the CSV at --dataset-path (without replacement when N <= rows, else with),
// in drawn order; timestamp_ms is the Timestamp column (seconds) in ms.
Expected<DatasetResult> BuildBurstGpt(const DatasetOptions& options, const DatasetContext& context);

}  // namespace servebench::dataset
