// The `sonnet` dataset (spec/datasets.md §13): prompts asking the model to pick lines from a
// poem, sized in lines to --sonnet-input-len, sharing the poem's first lines as a prefix.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// N rows from the poem at --dataset-path; needs the model's chat template (context.renderer).
Expected<DatasetResult> BuildSonnet(const DatasetOptions& options, const DatasetContext& context);

}  // namespace servebench::dataset
