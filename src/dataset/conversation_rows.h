// Rows from conversations (spec/datasets.md §3, §10, §15), shared by `sharegpt` and `custom`:
// each conversation with at least two turns gives a pair (prompt = turn 0, completion = turn 1),
// or with --multi-turn a session of rounds. The pairs are shuffled once (dataset stream, unless
// --disable-shuffle) and walked in that order until --num-prompts rows are accepted.
//
// The walk tokenizes in blocks, in parallel (TokenCodec::CountBatch), only as far as it needs:
// a block holds about as many pairs as rows are still missing, so 1,000 rows out of 90,000
// conversations tokenize little more than 1,000 pairs. The rows are those a walk over every pair
// tokenized up front would give, because acceptance depends on each pair alone and the order is
// fixed before the walk.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

struct ConversationList {
  std::vector<std::span<const std::string_view>> turns;  // the turn texts of each conversation
  std::vector<std::string> images;  // per conversation: a data URI or "" (empty: no images)
  std::vector<std::optional<double>> timestamps_ms;  // per conversation (empty: none carry one)
};

// The accepted rows, in walk order; drops are counted in `report` (its `examined` says how many
// pairs were filtered).
Expected<std::vector<WorkloadRow>> WalkConversations(const ConversationList& list,
                                                     const DatasetOptions& options,
                                                     const DatasetContext& context,
                                                     DropReport& report);

}  // namespace servebench::dataset
