// Warmup selection (spec/load.md §9): how many copies of row 0 are sent before t0 and with what
// output length. The prompt itself is the dataset's business.
#pragma once

#include <cstdint>
#include <optional>

namespace servebench::load {

struct WarmupOptions {
  int64_t warmup_requests = 1;         // --warmup-requests (SGLang)
  std::optional<int64_t> num_warmups;  // --num-warmups (vLLM): sets the count, full length
  bool disable_warmup = false;         // --disable-warmup (LMDeploy)
  bool full_output_length = false;     // --compat vllm|lmdeploy
};

struct WarmupPlan {
  int64_t requests = 0;
  int64_t output_len = 0;
};

// SGLang's cap on the warmup output length.
inline constexpr int64_t kWarmupOutputCap = 32;

WarmupPlan PlanWarmup(const WarmupOptions& options, int64_t row0_output_len);

}  // namespace servebench::load
