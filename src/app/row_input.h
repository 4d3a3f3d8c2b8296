// A workload row as a request's input (protocol::RequestInput): text, token ids, or chat
// messages, with the row's images and its own extra body. A multi-turn row gives its first
// round here; the session driver builds the later rounds from the replies.
#pragma once

#include "common/status.h"
#include "dataset/workload_row.h"
#include "protocol/request.h"

namespace servebench::app {

// Fills the prompt, images and extra body of `input` from `row`; the extra body must be a JSON
// object (the error names the field).
Status FillRequestInput(const dataset::WorkloadRow& row, protocol::RequestInput& input);

// Datasets of synthetic text, for which strict backends ignore EOS (spec/protocols.md §3).
bool IsSyntheticDataset(std::string_view dataset_name);

}  // namespace servebench::app
