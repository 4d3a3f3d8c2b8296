// The `prefix_repetition` dataset (spec/datasets.md §14): K synthetic prefixes, each shared by
// an equal share of the requests, each request with its own synthetic suffix.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// N rows made prefix by prefix (prefix k gets ⌊N/K⌋ + 1 rows when k < N mod K), then shuffled
// unless --disable-shuffle.
Expected<DatasetResult> BuildPrefixRepetition(const DatasetOptions& options,
                                              const DatasetContext& context);

}  // namespace servebench::dataset
