// Per-request choices fixed at schedule-build time (spec/load.md §11): the LoRA adapter of each
// request and which requests are cancelled by design (`--cancel-rate`).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::load {

enum class LoraDistribution { kUniform, kDistinct, kSkewed };

// "uniform" | "distinct" | "skewed", and vLLM's "random" | "round-robin" (--lora-assignment).
Expected<LoraDistribution> ParseLoraDistribution(std::string_view value);

// The adapter index (into the --lora-name list of `adapters` names) of each of `requests`
// requests, from the `lora` stream. Empty when there are no adapters.
Expected<std::vector<int32_t>> AssignLora(size_t requests, size_t adapters,
                                          LoraDistribution distribution, double zipf_alpha,
                                          uint64_t seed);

// For each request: the token event after which it is cancelled (0 = right after the headers),
// or nullopt. A request is marked with probability `cancel_rate`; its cut point is uniform in
// [0, requested output tokens]. Draws come from the `cancel` stream.
Expected<std::vector<std::optional<int64_t>>> MarkCancellations(
    std::span<const int64_t> output_tokens_requested, double cancel_rate, uint64_t seed);

}  // namespace servebench::load
