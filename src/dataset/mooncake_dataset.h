// The `mooncake` dataset (spec/datasets.md §9): a Mooncake trace (JSONL of timestamp,
// input_length, output_length, hash_ids) replayed as prompts whose shared blocks follow the hash
// ids, one row per round, each carrying the trace time.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "dataset/dataset.h"
#include "dataset/dataset_source.h"

namespace servebench::dataset {

// Rows of the first N sessions (file order), stably sorted by timestamp (load.md §6), each
// session's rounds back to back with the session's time. The trace file is --dataset-path, else
// /tmp/<workload>_trace.jsonl, else servebench's cache, else downloaded there.
Expected<DatasetResult> BuildMooncake(const DatasetOptions& options, const DatasetContext& context,
                                      const SourceSettings& settings);
inline Expected<DatasetResult> BuildMooncake(const DatasetOptions& options,
                                             const DatasetContext& context) {
  return BuildMooncake(options, context, SourceSettings::FromEnvironment());
}

// The URL of a --mooncake-workload trace; an error for an unknown name.
Expected<std::string> MooncakeTraceUrl(std::string_view workload);

}  // namespace servebench::dataset
