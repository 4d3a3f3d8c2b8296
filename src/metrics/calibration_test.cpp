#include "metrics/calibration.h"

#include <limits>

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

TEST(Calibration, PlannedRateIsRateTimesEventsPerRequest) {
  EXPECT_DOUBLE_EQ(*PlannedEventRate(50, true, 128), 6400);
  EXPECT_FALSE(PlannedEventRate(std::numeric_limits<double>::infinity(), true, 128));
  EXPECT_FALSE(PlannedEventRate(50, false, 128));  // closed loop or trace timing
}

TEST(Calibration, WarnsAboveHalfTheSustainedRate) {
  Calibration c;
  c.seconds = 2;
  c.token_events = 200'000;  // 100,000 events/s
  c.planned_events_per_s = 50'000;
  DecideCalibration(c);
  EXPECT_DOUBLE_EQ(c.events_per_s, 100'000);
  EXPECT_FALSE(c.warning);  // exactly half is still fine
  c.planned_events_per_s = 50'001;
  DecideCalibration(c);
  EXPECT_TRUE(c.warning);
  std::string line = CalibrationWarningLine(c);
  EXPECT_NE(line.find("50001 token events/s"), std::string::npos) << line;
  EXPECT_NE(line.find("100000 events/s"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Calibration, NoPlannedPaceNeverWarns) {
  Calibration c;
  c.seconds = 1;
  c.token_events = 10;
  DecideCalibration(c);
  EXPECT_FALSE(c.warning);
  c.seconds = 0;  // nothing measured: no rate, and still no warning without a plan
  DecideCalibration(c);
  EXPECT_DOUBLE_EQ(c.events_per_s, 0);
  EXPECT_FALSE(c.warning);
}

}  // namespace
}  // namespace servebench::metrics
