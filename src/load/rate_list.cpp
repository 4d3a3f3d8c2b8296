#include "load/rate_list.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace servebench::load {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

Expected<std::vector<double>> SplitNumbers(std::string_view flag, std::string_view value) {
  std::vector<double> numbers;
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    std::string_view item = Trim(value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    double number = 0;
    if (item == "inf" || item == "Infinity") {
      number = std::numeric_limits<double>::infinity();
    } else {
      auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), number);
      if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
          !std::isfinite(number)) {
        return MakeError("{}: expected comma-separated numbers, got '{}' in '{}'", flag, item,
                         value);
      }
    }
    numbers.push_back(number);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return numbers;
}

Status CheckRates(std::string_view flag, const std::vector<double>& rates) {
  for (double rate : rates) {
    if (!(rate > 0)) return MakeError("{}: every rate must be > 0, got {}", flag, rate);
  }
  return Ok();
}

}  // namespace

Expected<RateList> ParseRequestRateRange(std::string_view value) {
  constexpr std::string_view kFlag = "--request-rate-range";
  auto numbers = SplitNumbers(kFlag, value);
  if (!numbers) return std::unexpected(numbers.error());
  RateList out;
  if (numbers->size() != 3) {
    out.rates = std::move(*numbers);
    if (auto s = CheckRates(kFlag, out.rates); !s) return std::unexpected(s.error());
    return out;
  }
  double start = (*numbers)[0], stop = (*numbers)[1], step = (*numbers)[2];
  if (std::isinf(start) || std::isinf(stop) || std::isinf(step)) {
    return MakeError("{}: start,stop,step must be finite, got '{}'", kFlag, value);
  }
  if (!(step > 0)) return MakeError("{}: step must be > 0, got {}", kFlag, step);
  out.expanded_range = true;
  // Each value is computed from k, not accumulated, so decimal steps do not drift.
  for (int64_t k = 0;; ++k) {
    double rate = start + static_cast<double>(k) * step;
    if (!(rate < stop - 1e-9 * step)) break;
    out.rates.push_back(rate);
  }
  if (out.rates.empty()) {
    return MakeError("{}: '{}' holds no rate (stop is exclusive)", kFlag, value);
  }
  if (auto s = CheckRates(kFlag, out.rates); !s) return std::unexpected(s.error());
  return out;
}

Expected<RateList> ParseRequestRates(std::string_view value) {
  constexpr std::string_view kFlag = "--request-rates";
  auto numbers = SplitNumbers(kFlag, value);
  if (!numbers) return std::unexpected(numbers.error());
  if (auto s = CheckRates(kFlag, *numbers); !s) return std::unexpected(s.error());
  return RateList{std::move(*numbers), false};
}

}  // namespace servebench::load
