#include "metrics/lmdeploy_throughput.h"

#include <cmath>

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

constexpr int64_t kMs = 1'000'000;

RequestRecord Ticks(int64_t send_ms, std::vector<std::pair<int64_t, int32_t>> events,
                    int64_t requested) {
  RequestRecord r;
  r.send_time = send_ms * kMs;
  for (auto [t, n] : events)
    r.AddTokenEvent(t * kMs, n);
  r.end_time = events.back().first * kMs + kMs;
  r.output_tokens_requested = requested;
  r.prompt_tokens_dataset = 10;
  return r;
}

TEST(LmdeployThroughput, TicksToFigures) {
  std::vector<RequestRecord> rs;
  // A: sent at 0; ticks at 100 (2 tokens), 150 (1), 170 (1), 230 (2): c = 2, 3, 4, 6.
  rs.push_back(Ticks(0, {{100, 2}, {150, 1}, {170, 1}, {230, 2}}, 6));
  // B: sent at 10; one tick at 60 with 3 tokens: TPOT falls back to (60 - 10) / 3.
  rs.push_back(Ticks(10, {{60, 3}}, 3));
  // C: short of its requested length: excluded.
  rs.push_back(Ticks(0, {{40, 1}}, 5));
  LmdeployThroughput m = ComputeLmdeployThroughput(rs);
  EXPECT_EQ(m.total_requests, 3);
  EXPECT_EQ(m.included, 2);
  EXPECT_EQ(m.total_output_tokens, 9);
  EXPECT_EQ(m.total_input_tokens, 20);
  EXPECT_NEAR(m.duration_s, 0.231, 1e-12);  // A's end
  // E2E: 0.230 and 0.050 s.
  EXPECT_NEAR(m.e2e.mean, 0.14, 1e-12);
  EXPECT_NEAR(m.e2e.p50, 0.14, 1e-12);
  EXPECT_NEAR(m.e2e.p75, 0.185, 1e-12);  // h = 0.75 between 0.05 and 0.23
  // TTFT: 0.100 and 0.050.
  EXPECT_NEAR(m.ttft.mean, 0.075, 1e-12);
  // TPOT: A (0.230 - 0.100) / (6 - 2) = 0.0325; B 0.050 / 3.
  EXPECT_NEAR(m.tpot.mean, (0.0325 + 0.05 / 3) / 2, 1e-12);
  // ITL: A's gaps after the first token are 50, 20, 60 ms; the first is dropped.
  EXPECT_EQ(m.itl.count, 2u);
  EXPECT_NEAR(m.itl.mean, 0.04, 1e-12);
  // Tokens per tick: 2, 1, 1, 2 (A) and 3 (B): mean 1.8, P75 truncated from 2.
  EXPECT_NEAR(m.tokens_per_tick.mean, 1.8, 1e-12);
  EXPECT_EQ(m.tokens_per_tick.p50, 2);
  EXPECT_EQ(m.tokens_per_tick.p99, 2);  // 2 + 0.96 * 1 truncated
}

TEST(LmdeployThroughput, EmptySampleIsInfinite) {
  std::vector<RequestRecord> rs{Ticks(0, {{40, 1}}, 5)};
  LmdeployThroughput m = ComputeLmdeployThroughput(rs);
  EXPECT_EQ(m.included, 0);
  EXPECT_TRUE(std::isinf(m.ttft.mean));
  EXPECT_TRUE(std::isinf(m.itl.p99));
  EXPECT_EQ(m.tokens_per_tick.mean, 0);
}

}  // namespace
}  // namespace servebench::metrics
