#include "load/warmup.h"

#include <algorithm>

namespace servebench::load {

WarmupPlan PlanWarmup(const WarmupOptions& options, int64_t row0_output_len) {
  WarmupPlan plan;
  if (options.disable_warmup) return plan;
  bool full = options.full_output_length || options.num_warmups.has_value();
  plan.requests = std::max<int64_t>(options.num_warmups.value_or(options.warmup_requests), 0);
  plan.output_len = full ? row0_output_len : std::min(row0_output_len, kWarmupOutputCap);
  if (plan.requests == 0) plan.output_len = 0;
  return plan;
}

}  // namespace servebench::load
