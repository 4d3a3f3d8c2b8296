// The `mmmu` dataset (spec/datasets.md §8): questions with one image each from a local JSONL
// export of MMMU/MMMU (configuration Math, split test). The hub's parquet file is not read:
// servebench has no parquet reader, and a parquet path gets an error saying how to export.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// Lines {"question": "...", "image_1": <base64 | data URI | file path | {"bytes": base64}>};
// a relative image path is relative to the JSONL file's directory. With more examples than N,
// N distinct ones in drawn order, else all in file order. Each image is re-encoded as PNG (RGB).
Expected<DatasetResult> BuildMmmu(const DatasetOptions& options, const DatasetContext& context);

}  // namespace servebench::dataset
