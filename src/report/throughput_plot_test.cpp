#include "report/throughput_plot.h"

#include <gtest/gtest.h>

#include <vector>

namespace servebench::report {
namespace {

constexpr int64_t kMs = 1'000'000;

metrics::RequestRecord Request(int64_t send_ms, int64_t end_ms, std::vector<int64_t> events_ms,
                               int32_t tokens_per_event) {
  metrics::RequestRecord r;
  r.send_time = send_ms * kMs;
  r.end_time = end_ms * kMs;
  for (int64_t t : events_ms)
    r.AddTokenEvent(t * kMs, tokens_per_event);
  return r;
}

TEST(ThroughputPlotTest, TokensAndInFlightPerSecond) {
  // Request A: 0-1500 ms, events at 100, 900 (2 tokens each), 1200 ms (2 tokens).
  // Request B: 500-2500 ms, events of unknown count at 600 and 2400 ms (1 each).
  std::vector<metrics::RequestRecord> records = {
      Request(0, 1500, {100, 900, 1200}, 2),
      Request(500, 2500, {600, 2400}, metrics::kUnknownTokens)};
  std::vector<ThroughputBin> bins = ThroughputBins(records);
  ASSERT_EQ(bins.size(), 3u);
  EXPECT_DOUBLE_EQ(bins[0].output_tokens_per_s, 2 + 2 + 1);
  EXPECT_DOUBLE_EQ(bins[1].output_tokens_per_s, 2);
  EXPECT_DOUBLE_EQ(bins[2].output_tokens_per_s, 1);
  EXPECT_DOUBLE_EQ(bins[0].mean_in_flight, 1.0 + 0.5);  // A all second, B half
  EXPECT_DOUBLE_EQ(bins[1].mean_in_flight, 0.5 + 1.0);
  EXPECT_DOUBLE_EQ(bins[2].mean_in_flight, 0.5);
  EXPECT_DOUBLE_EQ(bins[2].start_s, 2);
}

TEST(ThroughputPlotTest, LongRunsAreFoldedIntoWiderBins) {
  // 150 s: bins of 3 s, 50 rows; one token event per second.
  metrics::RequestRecord r;
  r.send_time = 0;
  r.end_time = 150'000 * kMs;
  for (int64_t s = 0; s < 150; ++s)
    r.AddTokenEvent(s * 1000 * kMs + kMs, 1);
  std::vector<metrics::RequestRecord> records = {r};
  std::vector<ThroughputBin> bins = ThroughputBins(records);
  ASSERT_EQ(bins.size(), 50u);
  EXPECT_DOUBLE_EQ(bins[0].seconds, 3);
  EXPECT_DOUBLE_EQ(bins[0].output_tokens_per_s, 1);
  EXPECT_DOUBLE_EQ(bins[49].mean_in_flight, 1);
}

TEST(ThroughputPlotTest, BarsScaleToEachFiguresMaximum) {
  std::vector<ThroughputBin> bins = {{0, 1, 100, 4}, {1, 1, 50, 1}, {2, 1, 0, 0}};
  std::string plot = RenderThroughputPlot(bins);
  std::string full_tokens(40, '#'), half_tokens(20, '#'), full_flight(20, '#');
  size_t first = plot.find('\n') + 1;
  std::string line0 = plot.substr(first, plot.find('\n', first) - first);
  EXPECT_NE(line0.find(full_tokens + "      100.0  " + full_flight + "      4.0"),
            std::string::npos)
      << plot;
  size_t second = plot.find('\n', first) + 1;
  std::string line1 = plot.substr(second, plot.find('\n', second) - second);
  EXPECT_NE(line1.find(" " + half_tokens + std::string(20, ' ') + "       50.0  #####"),
            std::string::npos)
      << plot;
  EXPECT_EQ(RenderThroughputPlot({}), "Throughput plot: no request was sent\n");
}

}  // namespace
}  // namespace servebench::report
