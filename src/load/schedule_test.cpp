#include "load/schedule.h"

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

std::string ErrorOf(const LoadOptions& o) {
  auto s = ValidateLoadOptions(o);
  return s ? "" : s.error().message;
}

TEST(ValidateLoadOptions, RejectsConflictingFlagsByName) {
  LoadOptions closed;
  closed.concurrency = 8;
  EXPECT_EQ(ErrorOf(closed), "");

  LoadOptions rate = closed;
  rate.request_rate = 4;
  EXPECT_NE(ErrorOf(rate).find("--request-rate"), std::string::npos);

  LoadOptions capped = closed;
  capped.max_concurrency = 4;
  EXPECT_NE(ErrorOf(capped).find("--max-concurrency"), std::string::npos);

  LoadOptions ramp = closed;
  ramp.ramp_up = RampUp{};
  EXPECT_NE(ErrorOf(ramp).find("--ramp-up-strategy"), std::string::npos);

  LoadOptions trace = closed;
  trace.trace_timing = true;
  EXPECT_NE(ErrorOf(trace).find("trace timing"), std::string::npos);

  LoadOptions ramp_rate;
  ramp_rate.ramp_up = RampUp{RampUpStrategy::kLinear, 1, 2};
  ramp_rate.request_rate = 3;
  EXPECT_NE(ErrorOf(ramp_rate).find("--request-rate must be left at inf"), std::string::npos);

  LoadOptions zero;
  zero.max_concurrency = 0;
  EXPECT_NE(ErrorOf(zero).find("--max-concurrency"), std::string::npos);
  LoadOptions bad_rate;
  bad_rate.request_rate = 0;
  EXPECT_NE(ErrorOf(bad_rate).find("--request-rate"), std::string::npos);
  LoadOptions bad_burst;
  bad_burst.burstiness = -1;
  EXPECT_NE(ErrorOf(bad_burst).find("--burstiness"), std::string::npos);
}

TEST(BuildSchedule, InfiniteRateSendsEverythingAtT0InRowOrder) {
  auto s = BuildSchedule(4, LoadOptions{}, 42);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->kind, ScheduleKind::kOpenLoop);
  EXPECT_EQ(s->order, (std::vector<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(s->offsets_ns, (std::vector<int64_t>(4, 0)));
}

TEST(BuildSchedule, IsAPureFunctionOfCountOptionsAndSeed) {
  LoadOptions o;
  o.request_rate = 20;
  o.burstiness = 0.5;
  auto a = BuildSchedule(300, o, 42);
  auto b = BuildSchedule(300, o, 42);
  auto c = BuildSchedule(300, o, 0);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->offsets_ns, b->offsets_ns);
  EXPECT_NE(a->offsets_ns, c->offsets_ns);
  EXPECT_TRUE(std::is_sorted(a->offsets_ns.begin(), a->offsets_ns.end()));
}

TEST(BuildSchedule, RescaledSweepStepMatchesADirectBuild) {
  LoadOptions o;
  o.request_rate = 8;
  auto base = BuildSchedule(200, o, 42);
  ASSERT_TRUE(base.has_value());
  LoadOptions at2 = o;
  at2.request_rate = 2;
  auto direct = BuildSchedule(200, at2, 42);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(RescaleSchedule(*base, o, 2).offsets_ns, direct->offsets_ns);
  // A sweep starting at inf still has the draws to rescale.
  auto inf = BuildSchedule(200, LoadOptions{}, 42);
  ASSERT_TRUE(inf.has_value());
  EXPECT_EQ(RescaleSchedule(*inf, o, 2).offsets_ns, direct->offsets_ns);
}

TEST(BuildSchedule, ClosedLoopHasWorkersAndNoOffsets) {
  LoadOptions o;
  o.concurrency = 16;
  auto s = BuildSchedule(100, o, 1);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->kind, ScheduleKind::kClosedLoop);
  EXPECT_EQ(s->workers, 16);
  EXPECT_TRUE(s->offsets_ns.empty());
  EXPECT_EQ(s->order.size(), 100u);
}

TEST(BuildSchedule, TraceTimingAndRampUp) {
  LoadOptions trace;
  trace.trace_timing = true;
  std::vector<double> ts{2000, 1000};
  auto t = BuildSchedule(2, trace, 42, ts);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->order, (std::vector<size_t>{1, 0}));
  EXPECT_EQ(t->offsets_ns, (std::vector<int64_t>{0, 1000000000}));
  EXPECT_FALSE(BuildSchedule(3, trace, 42, ts).has_value());

  LoadOptions ramp;
  ramp.ramp_up = RampUp{RampUpStrategy::kLinear, 1, 5};
  ramp.burstiness = std::numeric_limits<double>::infinity();
  auto r = BuildSchedule(5, ramp, 42);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->rps_changes.size(), 5u);
  EXPECT_EQ(r->offsets_ns[1], 500000000);  // rate 2 before request 1
}

TEST(BuildSchedule, MaxConcurrencyIsCarried) {
  LoadOptions o;
  o.max_concurrency = 3;
  auto s = BuildSchedule(5, o, 42);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->max_concurrency, 3);
}

}  // namespace
}  // namespace servebench::load
