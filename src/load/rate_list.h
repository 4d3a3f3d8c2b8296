// Rate lists of a `--multi` sweep (spec/load.md §10).
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::load {

struct RateList {
  std::vector<double> rates;    // req/s, > 0; +inf allowed in explicit lists
  bool expanded_range = false;  // true when the value was a start,stop,step range
};

// `--request-rate-range`: exactly three numbers are start,stop,step with stop exclusive
// (LMDeploy: "2,34,2" -> 2, 4, ..., 32); any other count is an explicit list.
Expected<RateList> ParseRequestRateRange(std::string_view value);

// `--request-rates`: an explicit comma-separated list, `inf` allowed.
Expected<RateList> ParseRequestRates(std::string_view value);

}  // namespace servebench::load
