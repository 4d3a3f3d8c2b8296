// `--goodput KEY:MS ...` (spec/metrics.md §8): latency bounds a successful request must all meet
// to count as good. Keys: ttft, tpot, e2el (vLLM) and sched_ttft, sched_e2el (servebench).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace servebench::metrics {

struct GoodputConfig {
  // (key, bound in ms) in the order given; a repeated key keeps its last bound.
  std::vector<std::pair<std::string, double>> bounds;
  bool empty() const { return bounds.empty(); }
};

// Parses each "KEY:MS" argument; several may also share one argument separated by spaces.
Expected<GoodputConfig> ParseGoodput(std::span<const std::string> args);

// One successful request's values in ms, as the goodput test sees them. A missing TTFT
// (no token events) fails a ttft or sched_ttft bound; a missing TPOT fails a tpot bound.
struct GoodputValues {
  std::optional<double> ttft_ms;
  std::optional<double> tpot_ms;  // 0 when O_i <= 1
  double e2el_ms = 0;
  std::optional<double> sched_ttft_ms;
  double sched_e2el_ms = 0;
};

bool MeetsGoodput(const GoodputConfig& config, const GoodputValues& values);

}  // namespace servebench::metrics
