#include "sim/options.h"

#include <array>
#include <charconv>
#include <utility>

namespace servebench::sim {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 14> kFaultNames = {{
    {FaultKind::kRefuse, "refuse"},
    {FaultKind::kResetBeforeHeaders, "reset-before-headers"},
    {FaultKind::kResetMidStream, "reset-mid-stream"},
    {FaultKind::kHttp4xx, "http-4xx"},
    {FaultKind::kHttp5xx, "http-5xx"},
    {FaultKind::kHttp429, "http-429"},
    {FaultKind::kMalformedEvent, "malformed-event"},
    {FaultKind::kTruncatedChunk, "truncated-chunk"},
    {FaultKind::kInvalidUtf8, "invalid-utf8"},
    {FaultKind::kStall, "stall"},
    {FaultKind::kSlowHeaders, "slow-headers"},
    {FaultKind::kOversizedEvent, "oversized-event"},
    {FaultKind::kMissingDone, "missing-done"},
    {FaultKind::kNoTerminator, "no-terminator"},
}};

}  // namespace

bool ParseFault(std::string_view spec, Fault* fault) {
  std::string_view kind = spec;
  double probability = 1.0;
  if (size_t colon = spec.find(':'); colon != std::string_view::npos) {
    kind = spec.substr(0, colon);
    std::string_view p = spec.substr(colon + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), probability);
    if (ec != std::errc() || end != p.data() + p.size() || probability < 0 || probability > 1) {
      return false;
    }
  }
  for (const auto& [k, name] : kFaultNames) {
    if (name == kind) {
      *fault = Fault{k, probability};
      return true;
    }
  }
  return false;
}

std::string_view FaultName(FaultKind kind) {
  for (const auto& [k, name] : kFaultNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::string FaultKindList() {
  std::string list;
  for (const auto& [k, name] : kFaultNames) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

}  // namespace servebench::sim
