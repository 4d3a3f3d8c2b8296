// The workload of `servebench run`: the dataset flags mapped onto dataset::DatasetOptions, and
// the rows built with the run's tokenizer (and its chat template, when the tokenizer has one).
#pragma once

#include <string>
#include <vector>

#include "app/run_flags.h"
#include "common/status.h"
#include "dataset/dataset.h"
#include "dataset/workload_row.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {

struct Workload {
  std::vector<dataset::WorkloadRow> rows;
  size_t off_target = 0;  // rows whose fitted text misses its length
  dataset::DropReport report;
};

// The dataset flags as DatasetOptions; errors name the flag.
Expected<dataset::DatasetOptions> MapDatasetOptions(const RunFlags& flags);

// The tokenizer name the run uses when --tokenizer and --model-path are absent: the model.
std::string TokenizerName(const RunFlags& flags, const std::string& model);

// Builds the rows named by --dataset-name with `tokenizer` (loaded from `tokenizer_name`, where
// its chat template is looked for); errors name the flag or file.
Expected<Workload> BuildWorkload(const RunFlags& flags, const tokenizer::Tokenizer& tokenizer,
                                 const std::string& tokenizer_name = "");

}  // namespace servebench::app
