// The `openai` dataset (spec/datasets.md §11): a JSONL file of OpenAI chat requests, one per
// line, sent as chat messages in file order. Every top-level key other than `messages`,
// `max_tokens`, `max_completion_tokens` and `model` becomes the row's extra body; a numeric
// `timestamp` becomes the row time instead.
#pragma once

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

Expected<DatasetResult> BuildOpenAi(const DatasetOptions& options, const DatasetContext& context);

}  // namespace servebench::dataset
