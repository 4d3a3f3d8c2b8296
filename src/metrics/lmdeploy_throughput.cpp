#include "metrics/lmdeploy_throughput.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "metrics/statistics.h"

namespace servebench::metrics {

namespace {

constexpr double kNsPerS = 1e9;

TickStats Stats(std::vector<double> sample, bool integer_percentiles) {
  TickStats s;
  s.count = sample.size();
  if (sample.empty()) {
    double empty = integer_percentiles ? 0 : std::numeric_limits<double>::infinity();
    s.mean = s.p50 = s.p75 = s.p95 = s.p99 = empty;
    return s;
  }
  std::vector<double> percentiles{50, 75, 95, 99};
  Summary summary = Summarize(std::move(sample), percentiles);
  auto cut = [&](double v) { return integer_percentiles ? std::trunc(v) : v; };
  s.mean = summary.mean;
  s.p50 = cut(PercentileOf(summary, 50));
  s.p75 = cut(PercentileOf(summary, 75));
  s.p95 = cut(PercentileOf(summary, 95));
  s.p99 = cut(PercentileOf(summary, 99));
  return s;
}

double Seconds(int64_t ns) {
  return static_cast<double>(ns) / kNsPerS;
}

}  // namespace

LmdeployThroughput ComputeLmdeployThroughput(std::span<const RequestRecord> records) {
  LmdeployThroughput out;
  std::vector<double> e2e, ttft, tpot, itl, per_tick;
  int64_t end_max = 0;
  for (const RequestRecord& r : records) {
    ++out.total_requests;
    end_max = std::max(end_max, r.end_time.value_or(0));
    if (!r.ok() || r.event_times.empty()) continue;
    // Cumulative tokens per tick; an unknown event count is one token.
    std::vector<int64_t> cumulative;
    int64_t c = 0;
    for (int32_t n : r.event_tokens) {
      c += n == kUnknownTokens ? 1 : n;
      cumulative.push_back(c);
    }
    if (c < r.output_tokens_requested) continue;
    ++out.included;
    out.total_input_tokens += r.prompt_tokens_dataset;
    out.total_output_tokens += c;
    const auto& t = r.event_times;
    int64_t a = r.send_time;
    e2e.push_back(Seconds(t.back() - a));
    ttft.push_back(Seconds(t.front() - a));
    int64_t c_first = cumulative.front(), c_last = cumulative.back();
    if (c_last > c_first) {
      tpot.push_back(Seconds(t.back() - t.front()) / static_cast<double>(c_last - c_first));
    } else if (c_last > 0) {
      tpot.push_back(Seconds(t.back() - a) / static_cast<double>(c_last));
    }
    // Gaps between ticks after the first token, without the first of them.
    for (size_t k = 2; k < t.size(); ++k)
      itl.push_back(Seconds(t[k] - t[k - 1]));
    int64_t previous = 0;
    for (int64_t cum : cumulative) {
      per_tick.push_back(static_cast<double>(cum - previous));
      previous = cum;
    }
  }
  out.duration_s = Seconds(end_max);
  if (out.duration_s > 0) {
    out.input_throughput = static_cast<double>(out.total_input_tokens) / out.duration_s;
    out.output_throughput = static_cast<double>(out.total_output_tokens) / out.duration_s;
    out.request_throughput = static_cast<double>(out.included) / out.duration_s;
  }
  out.e2e = Stats(std::move(e2e), false);
  out.ttft = Stats(std::move(ttft), false);
  out.tpot = Stats(std::move(tpot), false);
  out.itl = Stats(std::move(itl), false);
  out.tokens_per_tick = Stats(std::move(per_tick), true);
  return out;
}

}  // namespace servebench::metrics
