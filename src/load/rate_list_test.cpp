#include "load/rate_list.h"

#include <cmath>

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

TEST(RequestRateRange, ThreeNumbersAreAnExclusiveRange) {
  auto list = ParseRequestRateRange("2,34,2");
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->expanded_range);
  ASSERT_EQ(list->rates.size(), 16u);
  EXPECT_EQ(list->rates.front(), 2.0);
  EXPECT_EQ(list->rates.back(), 32.0);
}

TEST(RequestRateRange, DecimalStepsDoNotDriftPastStop) {
  auto list = ParseRequestRateRange("0.1,0.4,0.1");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->rates.size(), 3u);
  EXPECT_DOUBLE_EQ(list->rates[2], 0.3);
}

TEST(RequestRateRange, OneTwoFourIsTheRangeOfOne) {
  auto list = ParseRequestRateRange("1,2,4");
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->expanded_range);
  EXPECT_EQ(list->rates, (std::vector<double>{1.0}));
}

TEST(RequestRateRange, OtherCountsAreExplicitLists) {
  auto two = ParseRequestRateRange("1, 8");
  ASSERT_TRUE(two.has_value());
  EXPECT_FALSE(two->expanded_range);
  EXPECT_EQ(two->rates, (std::vector<double>{1.0, 8.0}));
  auto four = ParseRequestRateRange("1,2,4,inf");
  ASSERT_TRUE(four.has_value());
  EXPECT_TRUE(std::isinf(four->rates[3]));
}

TEST(RequestRateRange, RejectsBadInput) {
  for (const char* bad : {"2,34,0", "2,34,-1", "a,b", "1,,2", "1,inf,1", "5,2,1", "0,1"}) {
    auto list = ParseRequestRateRange(bad);
    ASSERT_FALSE(list.has_value()) << bad;
    EXPECT_NE(list.error().message.find("--request-rate-range"), std::string::npos) << bad;
  }
}

TEST(RequestRates, IsAlwaysAList) {
  auto list = ParseRequestRates("1,2,4");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->rates, (std::vector<double>{1.0, 2.0, 4.0}));
  auto bad = ParseRequestRates("1,-2");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("--request-rates"), std::string::npos);
}

}  // namespace
}  // namespace servebench::load
