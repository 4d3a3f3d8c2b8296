// Sampled prompt and output lengths (spec/datasets.md §2.1) under SGLang's or vLLM's
// range-ratio rule.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "load/random_stream.h"

namespace servebench::dataset {

enum class RangeSemantics { kSglang, kVllm };

Expected<RangeSemantics> ParseRangeSemantics(std::string_view value);

// --random-range-ratio: one ratio for both sides, or (vllm semantics) {"input": a, "output": b}.
struct RangeRatio {
  double input = 0;
  double output = 0;
};

Expected<RangeRatio> ParseRangeRatio(std::string_view value, RangeSemantics semantics);

struct LengthOptions {
  int64_t input_len = 1024;
  int64_t output_len = 1024;
  RangeRatio ratio;
  RangeSemantics semantics = RangeSemantics::kSglang;
  // s: special tokens the tokenizer adds to one sequence.
  int64_t special_tokens = 0;
  // Prompts sent as text reserve room for the server's special tokens (sglang semantics).
  bool text_mode = true;
};

struct SampledLengths {
  std::vector<int64_t> input;
  std::vector<int64_t> output;
};

// N input lengths, then N output lengths, from the `dataset` stream.
Expected<SampledLengths> SampleLengths(size_t n, const LengthOptions& options,
                                       load::RandomStream& dataset);

// N lengths of nominal `len` under one side's rule of §2.1 (no text-mode reservation); the input
// side's vLLM rule subtracts `special_tokens` first. Datasets with more than two lengths
// (generated-shared-prefix) draw each kind with this.
enum class LengthSide { kInput, kOutput };
std::vector<int64_t> SampleSide(size_t n, int64_t len, double ratio, RangeSemantics semantics,
                                LengthSide side, int64_t special_tokens,
                                load::RandomStream& dataset);

}  // namespace servebench::dataset
