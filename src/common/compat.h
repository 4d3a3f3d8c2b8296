// `--compat sglang|vllm|lmdeploy`: whose measurement and request rules apply
// (spec/metrics.md §12). kNone is servebench's own rules. One type for every module.
#pragma once

#include <string_view>

#include "common/status.h"

namespace servebench {

enum class Compat { kNone, kSglang, kVllm, kLmdeploy };

// "sglang", "vllm", "lmdeploy"; "none" or "" is kNone.
Expected<Compat> ParseCompat(std::string_view name);
// The flag value; "none" for kNone.
std::string_view CompatName(Compat compat);

}  // namespace servebench
