// Peak output token throughput and peak concurrent requests (spec/metrics.md §9), over the
// successful requests. Times are ns from t0; buckets are one second wide from the earliest send.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace servebench::metrics {

// One successful request as the peak computations see it.
struct PeakInput {
  int64_t send_time = 0;  // a_i
  int64_t e2e_ns = 0;     // E2E_i under the run's rules
  // Times at which output tokens arrived and how many each brought.
  std::vector<int64_t> token_times;
  std::vector<int64_t> token_counts;
};

// The largest 1-second bucket of output tokens: bucket ⌊t - t_min⌋, ⌈max end - t_min⌉ + 1
// buckets. 0 without requests.
double PeakOutputTokensPerSecond(std::span<const PeakInput> requests);

// Exact sweep over [a_i, a_i + E2E_i): an end sorts before a start at the same instant.
int64_t PeakConcurrencySweep(std::span<const PeakInput> requests);

// SGLang's buckets: request i counts in every second from ⌊a_i - t_min⌋ to
// ⌊a_i + E2E_i - t_min⌋ (clipped to the last bucket); the largest bucket.
int64_t PeakConcurrencyBuckets(std::span<const PeakInput> requests);

}  // namespace servebench::metrics
