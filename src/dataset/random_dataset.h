// The `random` and `random-ids` datasets (spec/datasets.md §4–§5): prompts of sampled lengths
// cut from source text or made of synthetic ids, fitted to their exact length.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "dataset/dataset.h"
#include "dataset/lengths.h"
#include "dataset/token_codec.h"
#include "dataset/workload_row.h"

namespace servebench::dataset {

// How prompt text is fitted (datasets.md §2.2): servebench's exact fit extending from the row's
// own sequence, none (--compat sglang|lmdeploy: the target is reported), or vLLM's variant
// (extension by uniform draws from 0 .. V - 1).
enum class FitRule { kExact, kNone, kVllm };

struct RandomOptions {
  size_t num_prompts = 1000;
  LengthOptions lengths;         // text_mode and special_tokens are filled from the codec
  int64_t prefix_len = 0;        // --random-prefix-len
  bool tokenize_prompt = false;  // --tokenize-prompt: rows carry ids, no text fit
  bool raw_vocabulary = false;   // --compat sglang random-ids: ids mod V over the whole vocabulary
  bool disable_shuffle = false;  // --disable-shuffle
  bool encode_with_specials = false;  // --compat sglang `random`: source encoded with specials
  FitRule fit = FitRule::kExact;
};

struct BuiltRows {
  std::vector<WorkloadRow> rows;
  size_t off_target = 0;     // rows whose fitted text still misses its length
  size_t dropped_empty = 0;  // source prompts that encode to 0 tokens
};

// random-ids: ids A[(o_i + i + j) mod |A|] with offsets o_i uniform in [0, V) drawn after the
// lengths. Also the prompt construction of `random` under --compat vllm (no source text).
Expected<BuiltRows> BuildRandomIds(const RandomOptions& options, const TokenCodec& codec,
                                   uint64_t seed);

// random: row i takes the i-th source prompt (after the shuffle, empties dropped), cut or
// repeated to its length. `source_prompts` are the ShareGPT prompts in file order.
Expected<BuiltRows> BuildRandom(const RandomOptions& options, const TokenCodec& codec,
                                std::span<const std::string> source_prompts, uint64_t seed);

// The dispatcher's entry for `random` and `random-ids` (options.kind): maps the dataset flags
// (and --compat) onto RandomOptions; `random` reads its source prompts from the ShareGPT file
// (found or downloaded as for `sharegpt`).
Expected<DatasetResult> BuildRandomDataset(const DatasetOptions& options,
                                           const DatasetContext& context);

}  // namespace servebench::dataset
