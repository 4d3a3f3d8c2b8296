#include "common/compat.h"

namespace servebench {

Expected<Compat> ParseCompat(std::string_view name) {
  if (name == "sglang") return Compat::kSglang;
  if (name == "vllm") return Compat::kVllm;
  if (name == "lmdeploy") return Compat::kLmdeploy;
  if (name == "none" || name.empty()) return Compat::kNone;
  return MakeError("--compat: unknown mode '{}'; expected sglang, vllm or lmdeploy", name);
}

std::string_view CompatName(Compat compat) {
  switch (compat) {
    case Compat::kNone:
      return "none";
    case Compat::kSglang:
      return "sglang";
    case Compat::kVllm:
      return "vllm";
    case Compat::kLmdeploy:
      return "lmdeploy";
  }
  return "none";
}

}  // namespace servebench
