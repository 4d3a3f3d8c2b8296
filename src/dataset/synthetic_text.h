// Prompt text made from token ids (spec/datasets.md §2.2): the vocabulary synthetic ids come
// from, and the exact-length fit that turns ids into text that encodes back to the target count.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dataset/token_codec.h"

namespace servebench::dataset {

// A = ids 0 .. V - 1 without special tokens, ascending; `raw` keeps every id (SGLang's
// random-ids).
std::vector<int32_t> AllowedVocabulary(const TokenCodec& codec, bool raw = false);

struct FittedText {
  std::string text;
  int64_t prompt_len = 0;  // the true count of `text`, encoded without specials
  bool on_target = true;
};

// The continuation of a row's source sequence: the id after the ones already used.
using NextId = std::function<int32_t()>;

// Decode `ids`, re-encode without specials; while the count is off `target` (at most 10 rounds):
// too many -> keep the first `target` re-encoded ids, too few -> append ids from `next`; then
// decode again.
FittedText FitToLength(const TokenCodec& codec, std::vector<int32_t> ids, int64_t target,
                       const NextId& next);

}  // namespace servebench::dataset
