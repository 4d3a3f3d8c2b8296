// The `custom` dataset (spec/datasets.md §10): a JSONL file of conversations, one object per
// line with `conversations` (or `conversation`) turns whose text is under `content` or `value`,
// and an optional `image` file. Pairs, filters, sampling and multi-turn sessions as `sharegpt`.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

Expected<DatasetResult> BuildCustom(const DatasetOptions& options, const DatasetContext& context);

// The data URI of an image file: base64 of its bytes with the MIME type of its extension
// (.jpg/.jpeg, .png, .webp, .gif). `where` prefixes errors ("file:line").
Expected<std::string> ImageFileDataUri(const std::string& path, const std::string& where);

}  // namespace servebench::dataset
