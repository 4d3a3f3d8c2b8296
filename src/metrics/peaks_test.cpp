#include "metrics/peaks.h"

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

constexpr int64_t kMs = 1'000'000;

// A: sent at 0, lasts 2.5 s; B: sent at 1 s, ends at 2 s exactly; C: sent at 2 s, lasts 0.5 s.
std::vector<PeakInput> Timeline() {
  return {
      {0, 2500 * kMs, {500 * kMs, 1200 * kMs, 1900 * kMs, 2400 * kMs}, {2, 3, 1, 4}},
      {1000 * kMs, 1000 * kMs, {1500 * kMs, 1990 * kMs}, {5, 1}},
      {2000 * kMs, 500 * kMs, {2200 * kMs}, {2}},
  };
}

TEST(Peaks, OutputTokensPerOneSecondBucket) {
  // Buckets from t_min = 0: [0,1) 2 tokens; [1,2) 3 + 1 + 5 + 1 = 10; [2,3) 4 + 2 = 6.
  EXPECT_EQ(PeakOutputTokensPerSecond(Timeline()), 10);
  EXPECT_EQ(PeakOutputTokensPerSecond({}), 0);
}

TEST(Peaks, SweepEndsBeforeStartsAtTheSameInstant) {
  auto t = Timeline();
  EXPECT_EQ(PeakConcurrencySweep(t), 2);  // B ends at 2 s as C starts
  t[1].e2e_ns += 1;
  EXPECT_EQ(PeakConcurrencySweep(t), 3);
}

TEST(Peaks, SglangBucketsOverCountBoundaryRequests) {
  // A covers buckets 0..2, B 1..2 (its end 2.0 s floors to 2), C 2..2: bucket 2 holds three.
  EXPECT_EQ(PeakConcurrencyBuckets(Timeline()), 3);
}

}  // namespace
}  // namespace servebench::metrics
