#include "metrics/vision_tokens.h"

#include <algorithm>

namespace servebench::metrics {

VisionEstimate EstimateVisionTokens(std::span<RequestRecord> records) {
  VisionEstimate out;
  for (RequestRecord& r : records) {
    if (!r.vision_from_server) continue;
    if (r.status != RequestStatus::kOk || !r.prompt_tokens_server) {
      ++out.unknown;
      continue;
    }
    // prompt_tokens_dataset holds the text tokens until the estimate is made.
    r.prompt_vision_tokens =
        std::max<int64_t>(0, *r.prompt_tokens_server - r.prompt_tokens_dataset);
    r.prompt_tokens_dataset += r.prompt_vision_tokens;
    r.vision_from_server = false;
    ++out.estimated;
  }
  return out;
}

}  // namespace servebench::metrics
