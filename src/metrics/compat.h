// `--compat sglang|vllm|lmdeploy`: whose measurement rules the aggregates follow
// (spec/metrics.md §12). kNone is servebench's own rules.
#pragma once

#include <string_view>

#include "common/status.h"

namespace servebench::metrics {

enum class Compat { kNone, kSglang, kVllm, kLmdeploy };

Expected<Compat> ParseCompat(std::string_view value);
// "" for kNone, else the flag value.
std::string_view CompatName(Compat compat);

// The request-body style of the backend: some compat rules depend on it (metrics.md §11).
enum class ApiStyle { kCompletions, kChat, kSglangNative, kTrt, kTgi, kTruss };

}  // namespace servebench::metrics
