// Synthetic prompt text (spec/datasets.md §2.2) as the synthetic datasets make it: ids drawn
// uniformly with replacement from the allowed vocabulary, decoded, and fitted by the run's rule.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/compat.h"
#include "dataset/random_dataset.h"
#include "dataset/synthetic_text.h"
#include "dataset/token_codec.h"
#include "load/random_stream.h"

namespace servebench::dataset {

// The fit of §2.2 under --compat: none for sglang and lmdeploy, vLLM's variant for vllm.
FitRule FitRuleFor(Compat compat);

// `ids` as text of `target` tokens under `fit`: kExact extends with `next`, kVllm with uniform
// draws from 0 .. V - 1, kNone decodes and reports the target.
FittedText FitWithRule(const TokenCodec& codec, std::vector<int32_t> ids, int64_t target,
                       FitRule fit, const NextId& next, load::RandomStream& dataset);

// `n` ids uniform from `allowed` (non-empty); the exact fit extends with further such draws.
std::vector<int32_t> DrawIds(std::span<const int32_t> allowed, int64_t n,
                             load::RandomStream& dataset);
FittedText DrawSyntheticText(const TokenCodec& codec, std::span<const int32_t> allowed, int64_t n,
                             FitRule fit, load::RandomStream& dataset);

}  // namespace servebench::dataset
