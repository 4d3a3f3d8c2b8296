// The workload of `servebench run`: the client tokenizer adapted to dataset::TokenCodec, and the
// rows of the `random` / `random-ids` datasets (spec/datasets.md §4–§5).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/run_flags.h"
#include "common/status.h"
#include "dataset/workload_row.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {

struct Workload {
  std::vector<dataset::WorkloadRow> rows;
  size_t off_target = 0;  // rows whose fitted text misses its length
};

// Builds the rows named by --dataset-name with `tokenizer`; errors name the flag or file.
Expected<Workload> BuildWorkload(const RunFlags& flags, const tokenizer::Tokenizer& tokenizer);

}  // namespace servebench::app
