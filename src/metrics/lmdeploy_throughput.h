// LMDeploy profile_throughput's per-request figures (spec/metrics.md §12, last paragraph), used by
// `--compat lmdeploy` with a closed loop (`--concurrency N`) and by `servebench throughput`.
// Each request is a list of ticks: (a_i, 0) then (τ_ik, cumulative tokens c_k).
#pragma once

#include <cstdint>
#include <span>

#include "metrics/request_record.h"

namespace servebench::metrics {

// mean, P50, P75, P95, P99 of one figure; +inf everywhere for an empty sample.
struct TickStats {
  size_t count = 0;
  double mean = 0, p50 = 0, p75 = 0, p95 = 0, p99 = 0;
};

struct LmdeployThroughput {
  int64_t total_requests = 0;  // sent
  int64_t included = 0;        // successful with a final count >= the requested length
  int64_t total_input_tokens = 0;
  int64_t total_output_tokens = 0;
  double duration_s = 0;  // D, as in the other modes
  double input_throughput = 0;
  double output_throughput = 0;
  double request_throughput = 0;
  // Seconds.
  TickStats e2e, ttft, tpot, itl;
  // Tokens per tick: percentiles truncated to integers; 0 (not inf) when empty.
  TickStats tokens_per_tick;
};

LmdeployThroughput ComputeLmdeployThroughput(std::span<const RequestRecord> records);

}  // namespace servebench::metrics
