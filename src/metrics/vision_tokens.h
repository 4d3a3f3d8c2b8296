// Vision tokens of image rows sent without --vision-tokens-per-image (spec/datasets.md §7): the
// client cannot run the model's image processor, so after the run each successful request whose
// server reported its prompt tokens p gets vision = max(0, p - text tokens), and its dataset
// prompt count becomes text + vision. The others keep 0 vision tokens.
#pragma once

#include <cstddef>
#include <span>

#include "metrics/request_record.h"

namespace servebench::metrics {

struct VisionEstimate {
  size_t estimated = 0;  // records whose vision tokens now come from the server's count
  size_t unknown = 0;    // records that needed it but had no successful server count
};

VisionEstimate EstimateVisionTokens(std::span<RequestRecord> records);

}  // namespace servebench::metrics
