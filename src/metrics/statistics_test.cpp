#include "metrics/statistics.h"

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

TEST(Percentile, InterpolatesLikeNumpyDefault) {
  std::vector<double> y{1, 2, 3, 4};
  // h = 3 * P / 100.
  EXPECT_DOUBLE_EQ(Percentile(y, 0), 1);
  EXPECT_DOUBLE_EQ(Percentile(y, 50), 2.5);   // h = 1.5
  EXPECT_DOUBLE_EQ(Percentile(y, 90), 3.7);   // h = 2.7
  EXPECT_DOUBLE_EQ(Percentile(y, 99), 3.97);  // h = 2.97
  EXPECT_DOUBLE_EQ(Percentile(y, 100), 4);
  EXPECT_DOUBLE_EQ(Percentile(std::vector<double>{7}, 99), 7);
  EXPECT_EQ(Percentile(std::vector<double>{}, 50), 0);
}

TEST(Summarize, MeanPopulationStdMedianMinMax) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population std exactly 2, median 4.5.
  Summary s = Summarize({9, 4, 5, 4, 2, 7, 4, 5}, std::vector<double>{25, 99.9});
  EXPECT_EQ(s.count, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_DOUBLE_EQ(s.std, 2);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2);
  EXPECT_DOUBLE_EQ(s.max, 9);
  EXPECT_DOUBLE_EQ(PercentileOf(s, 25), 4);        // h = 1.75 between 4 and 4
  EXPECT_DOUBLE_EQ(PercentileOf(s, 99.9), 8.986);  // h = 6.993: 7 + 0.993 * 2
  EXPECT_EQ(PercentileOf(s, 50), 0);               // not asked for
}

TEST(Summarize, EmptySampleIsAllZeros) {
  Summary s = Summarize({}, DefaultPercentiles());
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.mean, 0);
  EXPECT_EQ(s.max, 0);
  ASSERT_EQ(s.percentiles.size(), 3u);
  EXPECT_EQ(s.percentiles[2].second, 0);
}

TEST(PercentileLabel, IntegerOrShortestDecimal) {
  EXPECT_EQ(PercentileLabel(99), "99");
  EXPECT_EQ(PercentileLabel(99.9), "99.9");
  EXPECT_EQ(PercentileLabel(0.5), "0.5");
  EXPECT_EQ(PercentileLabel(50), "50");
}

TEST(ParseMetricPercentiles, SortsAndValidates) {
  auto p = ParseMetricPercentiles("99.9, 50,90,50");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, (std::vector<double>{50, 90, 99.9}));
  for (const char* bad : {"", "101", "-1", "abc", "50,,90"}) {
    auto r = ParseMetricPercentiles(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().message.find("--metric-percentiles"), std::string::npos);
  }
}

}  // namespace
}  // namespace servebench::metrics
