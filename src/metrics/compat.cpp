#include "metrics/compat.h"

namespace servebench::metrics {

Expected<Compat> ParseCompat(std::string_view value) {
  if (value == "sglang") return Compat::kSglang;
  if (value == "vllm") return Compat::kVllm;
  if (value == "lmdeploy") return Compat::kLmdeploy;
  return MakeError("--compat: expected sglang, vllm or lmdeploy, got '{}'", value);
}

std::string_view CompatName(Compat compat) {
  switch (compat) {
    case Compat::kNone:
      return "";
    case Compat::kSglang:
      return "sglang";
    case Compat::kVllm:
      return "vllm";
    case Compat::kLmdeploy:
      return "lmdeploy";
  }
  return "";
}

}  // namespace servebench::metrics
