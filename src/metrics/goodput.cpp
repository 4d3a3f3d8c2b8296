#include "metrics/goodput.h"

#include <charconv>
#include <cmath>

namespace servebench::metrics {

namespace {

constexpr std::string_view kKeys[] = {"ttft", "tpot", "e2el", "sched_ttft", "sched_e2el"};

Status AddBound(std::string_view item, GoodputConfig& config) {
  size_t colon = item.find(':');
  if (colon == std::string_view::npos) {
    return MakeError("--goodput: expected KEY:MS, got '{}'", item);
  }
  std::string_view key = item.substr(0, colon);
  std::string_view number = item.substr(colon + 1);
  bool known = false;
  for (std::string_view k : kKeys)
    known = known || k == key;
  if (!known) {
    return MakeError(
        "--goodput: unknown key '{}' in '{}' (expected ttft, tpot, e2el, "
        "sched_ttft or sched_e2el)",
        key, item);
  }
  double ms = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), ms);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !(ms >= 0) ||
      std::isinf(ms)) {
    return MakeError("--goodput: expected a non-negative number of ms in '{}'", item);
  }
  for (auto& [k, bound] : config.bounds) {
    if (k == key) {
      bound = ms;
      return Ok();
    }
  }
  config.bounds.emplace_back(std::string(key), ms);
  return Ok();
}

}  // namespace

Expected<GoodputConfig> ParseGoodput(std::span<const std::string> args) {
  GoodputConfig config;
  for (const std::string& arg : args) {
    std::string_view rest = arg;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      std::string_view item = rest.substr(0, space);
      if (!item.empty()) {
        if (auto s = AddBound(item, config); !s) return std::unexpected(s.error());
      }
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  return config;
}

bool MeetsGoodput(const GoodputConfig& config, const GoodputValues& v) {
  for (const auto& [key, bound] : config.bounds) {
    std::optional<double> value;
    if (key == "ttft") value = v.ttft_ms;
    if (key == "tpot") value = v.tpot_ms;
    if (key == "e2el") value = v.e2el_ms;
    if (key == "sched_ttft") value = v.sched_ttft_ms;
    if (key == "sched_e2el") value = v.sched_e2el_ms;
    if (!value || *value > bound) return false;
  }
  return true;
}

}  // namespace servebench::metrics
