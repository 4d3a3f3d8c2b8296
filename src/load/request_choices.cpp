#include "load/request_choices.h"

#include <algorithm>
#include <cmath>

#include "load/random_stream.h"

namespace servebench::load {

Expected<LoraDistribution> ParseLoraDistribution(std::string_view value) {
  if (value == "uniform" || value == "random") return LoraDistribution::kUniform;
  if (value == "distinct" || value == "round-robin") return LoraDistribution::kDistinct;
  if (value == "skewed") return LoraDistribution::kSkewed;
  return MakeError("--lora-request-distribution: expected uniform, distinct or skewed, got '{}'",
                   value);
}

Expected<std::vector<int32_t>> AssignLora(size_t requests, size_t adapters,
                                          LoraDistribution distribution, double zipf_alpha,
                                          uint64_t seed) {
  if (adapters == 0) return std::vector<int32_t>{};
  if (distribution != LoraDistribution::kUniform && adapters < 2) {
    return MakeError(
        "--lora-request-distribution: distinct and skewed need at least two "
        "--lora-name values");
  }
  if (distribution == LoraDistribution::kSkewed && !(zipf_alpha > 1)) {
    return MakeError("--lora-zipf-alpha: expected a number > 1, got {}", zipf_alpha);
  }
  RandomStream lora(seed, kLoraStream);
  std::vector<double> cumulative(adapters);
  double sum = 0;
  for (size_t j = 0; j < adapters; ++j) {
    sum += std::pow(zipf_alpha, -static_cast<double>(j));
    cumulative[j] = sum;
  }
  std::vector<int32_t> choice(requests);
  for (size_t i = 0; i < requests; ++i) {
    switch (distribution) {
      case LoraDistribution::kUniform:
        choice[i] = static_cast<int32_t>(lora.UniformInt(0, static_cast<int64_t>(adapters) - 1));
        break;
      case LoraDistribution::kDistinct:
        choice[i] = static_cast<int32_t>(i % adapters);
        break;
      case LoraDistribution::kSkewed:
        choice[i] = static_cast<int32_t>(lora.WeightedChoice(cumulative));
        break;
    }
  }
  return choice;
}

Expected<std::vector<std::optional<int64_t>>> MarkCancellations(
    std::span<const int64_t> output_tokens_requested, double cancel_rate, uint64_t seed) {
  if (!(cancel_rate >= 0 && cancel_rate <= 1)) {
    return MakeError("--cancel-rate: expected a number in [0, 1], got {}", cancel_rate);
  }
  std::vector<std::optional<int64_t>> marks(output_tokens_requested.size());
  if (cancel_rate == 0) return marks;
  RandomStream cancel(seed, kCancelStream);
  for (size_t i = 0; i < marks.size(); ++i) {
    // The mark is drawn for every request and the cut point only for marked ones, so the
    // draws of request i depend on the marks before it, never on a later request.
    if (cancel.UniformReal() < cancel_rate) {
      marks[i] = cancel.UniformInt(0, std::max<int64_t>(output_tokens_requested[i], 0));
    }
  }
  return marks;
}

}  // namespace servebench::load
