// The `sharegpt` dataset (spec/datasets.md §3): prompt/completion pairs from a ShareGPT JSON
// file (found or downloaded, see dataset_source.h), filtered and sampled by the conversation
// walk (conversation_rows.h); with --multi-turn, sessions (§15).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "dataset/dataset.h"
#include "dataset/dataset_source.h"

namespace servebench::dataset {

Expected<DatasetResult> BuildShareGpt(const DatasetOptions& options, const DatasetContext& context,
                                      const SourceSettings& settings);
inline Expected<DatasetResult> BuildShareGpt(const DatasetOptions& options,
                                             const DatasetContext& context) {
  return BuildShareGpt(options, context, SourceSettings::FromEnvironment());
}

// The source prompts of `random` (§4 step 2): turn 0 of every conversation with at least two
// turns, in file order, from the same file `sharegpt` would read.
Expected<std::vector<std::string>> LoadShareGptPrompts(const std::string& explicit_path,
                                                       const SourceSettings& settings,
                                                       DropReport& report);

}  // namespace servebench::dataset
