// The `generated-shared-prefix` dataset (spec/datasets.md §6): groups of requests that share a
// long synthetic system prompt, for prefix-cache studies.
#pragma once

#include <string>

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// G·P rows (group by group, prompt by prompt; shuffled unless --gsp-ordered) from the `dataset`
// stream. With --gsp-num-turns > 1 each row is a session of `rounds`. `routing_key_prefix`
// ("<8 hex>_<YYYYmmddHHMMSS>", per run) is used with --gsp-send-routing-key; each row's key
// appends "_<group>".
Expected<DatasetResult> BuildGeneratedSharedPrefix(const DatasetOptions& options,
                                                   const DatasetContext& context,
                                                   const std::string& routing_key_prefix);

// "<8 hex>_<YYYYmmddHHMMSS>": hex from the wall clock and pid (it must differ between runs, so
// not from the seed), the local start time.
std::string MakeRoutingKeyPrefix();

}  // namespace servebench::dataset
