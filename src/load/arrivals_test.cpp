#include "load/arrivals.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Mean and coefficient of variation of the gaps between consecutive offsets, in seconds.
std::pair<double, double> GapMeanCv(const std::vector<int64_t>& offsets) {
  double sum = 0, sum_sq = 0;
  size_t n = offsets.size() - 1;
  for (size_t i = 1; i < offsets.size(); ++i) {
    double gap = static_cast<double>(offsets[i] - offsets[i - 1]) / 1e9;
    sum += gap;
    sum_sq += gap * gap;
  }
  double mean = sum / n;
  return {mean, std::sqrt(sum_sq / n - mean * mean) / mean};
}

std::vector<int64_t> Schedule(size_t n, double rate, double burstiness, uint64_t seed,
                              FirstArrival first = FirstArrival::kAtZero, bool normalize = false) {
  RandomStream arrivals(seed, kArrivalsStream);
  auto gaps = DrawUnitGaps(n, burstiness, arrivals);
  EXPECT_TRUE(gaps.has_value());
  return ScheduleFromUnitGaps(*gaps, n, rate, first, normalize);
}

TEST(Arrivals, PoissonGapsHaveMeanOneOverRateAndCvOne) {
  auto offsets = Schedule(40000, 10.0, 1.0, 42);
  EXPECT_EQ(offsets[0], 0);
  auto [mean, cv] = GapMeanCv(offsets);
  EXPECT_NEAR(mean, 0.1, 0.002);
  EXPECT_NEAR(cv, 1.0, 0.02);
}

TEST(Arrivals, GammaBurstinessSetsCvToOneOverSqrtK) {
  for (double k : {0.25, 0.5, 2.0, 4.0}) {
    auto offsets = Schedule(40000, 5.0, k, 7);
    auto [mean, cv] = GapMeanCv(offsets);
    EXPECT_NEAR(mean, 0.2, 0.2 * 0.03) << "k " << k;
    EXPECT_NEAR(cv, 1.0 / std::sqrt(k), 0.05 / std::sqrt(k)) << "k " << k;
  }
}

TEST(Arrivals, InfiniteBurstinessGivesConstantGaps) {
  auto offsets = Schedule(5, 4.0, kInf, 1);
  EXPECT_EQ(offsets, (std::vector<int64_t>{0, 250000000, 500000000, 750000000, 1000000000}));
}

TEST(Arrivals, NonPositiveBurstinessIsRejected) {
  RandomStream arrivals(1, kArrivalsStream);
  auto gaps = DrawUnitGaps(3, 0.0, arrivals);
  ASSERT_FALSE(gaps.has_value());
  EXPECT_NE(gaps.error().message.find("--burstiness"), std::string::npos);
}

TEST(Arrivals, SameSeedSameOffsetsOtherSeedOthers) {
  EXPECT_EQ(Schedule(1000, 3.0, 0.5, 42), Schedule(1000, 3.0, 0.5, 42));
  EXPECT_NE(Schedule(1000, 3.0, 0.5, 42), Schedule(1000, 3.0, 0.5, 43));
}

TEST(Arrivals, OffsetsAreCumulativeGapsOverRate) {
  RandomStream arrivals(5, kArrivalsStream);
  auto gaps = *DrawUnitGaps(4, 1.0, arrivals);
  auto at_zero = ScheduleFromUnitGaps(gaps, 4, 2.0, FirstArrival::kAtZero, false);
  auto after_gap = ScheduleFromUnitGaps(gaps, 4, 2.0, FirstArrival::kAfterGap, false);
  double sum = 0;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(at_zero[i], std::llround(sum / 2.0 * 1e9));
    sum += gaps[i];
    EXPECT_EQ(after_gap[i], std::llround(sum / 2.0 * 1e9));
  }
}

TEST(Arrivals, NormalisationEndsExactlyOnTheNominalSpan) {
  auto at_zero = Schedule(101, 10.0, 1.0, 42, FirstArrival::kAtZero, true);
  EXPECT_EQ(at_zero.front(), 0);
  EXPECT_EQ(at_zero.back(), 10'000'000'000);  // (N - 1) / rate
  auto after_gap = Schedule(100, 10.0, 1.0, 42, FirstArrival::kAfterGap, true);
  EXPECT_GT(after_gap.front(), 0);
  EXPECT_EQ(after_gap.back(), 10'000'000'000);  // N / rate
  auto raw = Schedule(101, 10.0, 1.0, 42);
  EXPECT_NE(raw.back(), 10'000'000'000);
}

TEST(Arrivals, TwoRatesAreTimeScaledCopies) {
  RandomStream arrivals(42, kArrivalsStream);
  auto gaps = *DrawUnitGaps(500, 1.0, arrivals);
  auto slow = ScheduleFromUnitGaps(gaps, 500, 2.0, FirstArrival::kAtZero, false);
  auto fast = ScheduleFromUnitGaps(gaps, 500, 4.0, FirstArrival::kAtZero, false);
  for (size_t i = 0; i < 500; ++i)
    EXPECT_NEAR(slow[i], 2 * fast[i], 2);
}

TEST(RampUp, LinearRampUsesPerRequestRates) {
  std::vector<double> ones(10, 1.0);
  auto ramp = RampUpSchedule(ones, 10, {RampUpStrategy::kLinear, 1.0, 10.0}, FirstArrival::kAtZero);
  ASSERT_TRUE(ramp.has_value());
  // lambda_i = 1 + i; s_i = sum_{j=1..i} 1 / (1 + j).
  double s = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i > 0) s += 1.0 / (1.0 + static_cast<double>(i));
    EXPECT_EQ(ramp->offsets_ns[i], std::llround(s * 1e9)) << i;
  }
  ASSERT_EQ(ramp->rps_changes.size(), 10u);
  EXPECT_EQ(ramp->rps_changes[0].rps, 1);
  EXPECT_EQ(ramp->rps_changes[0].time_s, 0.0);
  EXPECT_EQ(ramp->rps_changes[9].rps, 10);
}

TEST(RampUp, ExponentialRampDoublesRate) {
  std::vector<double> ones(5, 1.0);
  auto ramp =
      RampUpSchedule(ones, 5, {RampUpStrategy::kExponential, 1.0, 16.0}, FirstArrival::kAtZero);
  ASSERT_TRUE(ramp.has_value());
  // Rates 1, 2, 4, 8, 16 -> gaps before requests 1..4: 1/2, 1/4, 1/8, 1/16.
  EXPECT_EQ(ramp->offsets_ns,
            (std::vector<int64_t>{0, 500000000, 750000000, 875000000, 937500000}));
  ASSERT_EQ(ramp->rps_changes.size(), 5u);
  EXPECT_EQ(ramp->rps_changes[2].rps, 4);
  EXPECT_DOUBLE_EQ(ramp->rps_changes[2].time_s, 0.75);
}

TEST(RampUp, VllmConventionWaitsOneGapBeforeTheFirstRequest) {
  std::vector<double> ones(3, 1.0);
  auto ramp = RampUpSchedule(ones, 3, {RampUpStrategy::kLinear, 1.0, 3.0}, FirstArrival::kAfterGap);
  ASSERT_TRUE(ramp.has_value());
  // Rates 1, 2, 3; gaps before requests 0, 1, 2: 1, 1/2, 1/3.
  EXPECT_EQ(ramp->offsets_ns, (std::vector<int64_t>{1000000000, 1500000000, 1833333333}));
  ASSERT_EQ(ramp->rps_changes.size(), 3u);
  EXPECT_EQ(ramp->rps_changes[0].rps, 1);
  EXPECT_DOUBLE_EQ(ramp->rps_changes[0].time_s, 1.0);
  EXPECT_EQ(ramp->rps_changes[2].rps, 3);
  EXPECT_NEAR(ramp->rps_changes[2].time_s, 1.0 + 0.5 + 1.0 / 3.0, 1e-12);
}

TEST(RampUp, RecordsOnlyChangesOfTheIntegerRate) {
  std::vector<double> ones(5, 1.0);
  auto ramp = RampUpSchedule(ones, 5, {RampUpStrategy::kLinear, 2.0, 3.0}, FirstArrival::kAtZero);
  ASSERT_TRUE(ramp.has_value());
  // Rates 2, 2.25, 2.5, 2.75, 3: floors change at i = 0 and i = 4 only.
  ASSERT_EQ(ramp->rps_changes.size(), 2u);
  EXPECT_EQ(ramp->rps_changes[1].rps, 3);
}

TEST(RampUp, RejectsZeroRatesWhereAGapNeedsThem) {
  std::vector<double> ones(3, 1.0);
  EXPECT_TRUE(RampUpSchedule(ones, 3, {RampUpStrategy::kLinear, 0.0, 10.0}, FirstArrival::kAtZero)
                  .has_value());
  EXPECT_FALSE(
      RampUpSchedule(ones, 3, {RampUpStrategy::kLinear, 0.0, 10.0}, FirstArrival::kAfterGap)
          .has_value());
  EXPECT_FALSE(RampUpSchedule(ones, 3, {RampUpStrategy::kLinear, 5.0, 0.0}, FirstArrival::kAtZero)
                   .has_value());
  auto exp0 =
      RampUpSchedule(ones, 3, {RampUpStrategy::kExponential, 0.0, 10.0}, FirstArrival::kAtZero);
  ASSERT_FALSE(exp0.has_value());
  EXPECT_NE(exp0.error().message.find("--ramp-up-start-rps"), std::string::npos);
}

TEST(TraceTiming, SortsStablyAndScales) {
  std::vector<double> ts{300, 100, 100, 200};
  auto trace = TraceTimedSchedule(ts, 2.0);
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->order, (std::vector<size_t>{1, 2, 3, 0}));
  EXPECT_EQ(trace->offsets_ns, (std::vector<int64_t>{0, 0, 200000000, 400000000}));
  EXPECT_FALSE(TraceTimedSchedule(ts, 0.0).has_value());
}

TEST(ScheduledRequestRate, IsCountMinusOneOverSpan) {
  std::vector<int64_t> offsets{0, 250000000, 1000000000};
  EXPECT_DOUBLE_EQ(ScheduledRequestRate(offsets), 2.0);
  EXPECT_EQ(ScheduledRequestRate(std::vector<int64_t>{0}), 0.0);
  EXPECT_EQ(ScheduledRequestRate(std::vector<int64_t>{0, 0}), 0.0);
}

}  // namespace
}  // namespace servebench::load
