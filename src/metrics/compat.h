// `--compat sglang|vllm|lmdeploy`: whose measurement rules the aggregates follow
// (spec/metrics.md §12). kNone is servebench's own rules.
#pragma once

#include <string_view>

#include "common/compat.h"

namespace servebench::metrics {

using ::servebench::Compat;
using ::servebench::CompatName;
using ::servebench::ParseCompat;

// The request-body style of the backend: some compat rules depend on it (metrics.md §11).
enum class ApiStyle { kCompletions, kChat, kSglangNative, kTrt, kTgi, kTruss };

}  // namespace servebench::metrics
