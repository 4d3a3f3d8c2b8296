// LMDeploy profile_throughput's load over serve-sim's engine model, in simulated time: `workers`
// workers take the requests in order from one queue; each submits its next request the instant
// its previous one finishes. The engine's steps advance a virtual clock by their modelled
// duration, so every time is the model's own (exact, no host jitter) and a profile of thousands
// of requests takes only the CPU time of the step rule.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/options.h"

namespace servebench::sim {

struct ClosedLoopOptions {
  EngineOptions engine;
  int64_t workers = 64;
  // Tensor parallelism: every step lasts 1/tp of its modelled time.
  int tp = 1;
};

struct ClosedLoopRequest {
  int prompt_tokens = 1;
  int output_tokens = 1;
};

// What one request saw, in nanoseconds of the virtual clock (0 = the profile's start).
struct ClosedLoopOutcome {
  int64_t submit_ns = 0;
  std::vector<int64_t> token_ns;  // one entry per generated token, in order
};

// Runs every request of `requests` (index order = queue order) to completion. Workers are capped
// at the number of requests; tp and workers must be at least 1.
std::vector<ClosedLoopOutcome> RunClosedLoop(const ClosedLoopOptions& options,
                                             std::span<const ClosedLoopRequest> requests);

}  // namespace servebench::sim
