#include "app/sweep_rates.h"

#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "load/rate_list.h"

namespace servebench::app {
namespace {

std::string RateText(double rate) {
  return std::isinf(rate) ? std::string("inf") : fmt::format("{}", rate);
}

}  // namespace

Expected<std::vector<double>> SweepRates(const RunFlags& f, const Prepared& p) {
  // Checked here with the sweep so that every value of these flags fails before the server is
  // contacted.
  if (f.calibrate && !(f.calibrate_seconds > 0)) {
    return MakeError("--calibrate-seconds: expected > 0, got {}", f.calibrate_seconds);
  }
  if (!(f.flush_cache_timeout_s >= 0)) {
    return MakeError("--flush-cache-timeout: expected >= 0 seconds, got {}",
                     f.flush_cache_timeout_s);
  }
  if (!f.multi) {
    if (f.request_rate_range) {
      std::fprintf(stderr,
                   "servebench run: warning: --request-rate-range is ignored without "
                   "--multi\n");
    }
    if (f.request_rates) {
      std::fprintf(stderr, "servebench run: warning: --request-rates is ignored without --multi\n");
    }
    return std::vector<double>{p.rate};
  }
  if (f.request_rate_range && f.request_rates) {
    return MakeError("--request-rates: give either --request-rates or --request-rate-range");
  }
  if (f.concurrency) {
    return MakeError(
        "--multi: a rate sweep needs an open loop, but --concurrency runs a closed "
        "loop of {} workers",
        *f.concurrency);
  }
  if (p.load.trace_timing || p.load.ramp_up) {
    return MakeError("--multi: a rate sweep cannot be combined with trace timing or ramp-up");
  }
  if (f.request_rates) {
    auto list = load::ParseRequestRates(*f.request_rates);
    if (!list) return std::unexpected(list.error());
    return list->rates;
  }
  std::string range = f.request_rate_range.value_or("2,34,2");
  auto list = load::ParseRequestRateRange(range);
  if (!list) return std::unexpected(list.error());
  if (list->expanded_range) {
    // LMDeploy's reading of three numbers surprises users who meant a list of three rates.
    std::string rates;
    for (double rate : list->rates)
      rates += (rates.empty() ? "" : ", ") + RateText(rate);
    std::fprintf(stderr,
                 "servebench run: --request-rate-range %s is start,stop,step with stop exclusive: "
                 "rates %s (for an explicit list use --request-rates)\n",
                 range.c_str(), rates.c_str());
  }
  return list->rates;
}

}  // namespace servebench::app
