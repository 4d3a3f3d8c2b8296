#include "load/warmup.h"

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

TEST(PlanWarmup, DefaultIsOneRequestCappedAt32Tokens) {
  WarmupPlan plan = PlanWarmup(WarmupOptions{}, 512);
  EXPECT_EQ(plan.requests, 1);
  EXPECT_EQ(plan.output_len, 32);
  EXPECT_EQ(PlanWarmup(WarmupOptions{}, 10).output_len, 10);
}

TEST(PlanWarmup, NumWarmupsSetsCountAndFullLength) {
  WarmupOptions o;
  o.num_warmups = 3;
  WarmupPlan plan = PlanWarmup(o, 512);
  EXPECT_EQ(plan.requests, 3);
  EXPECT_EQ(plan.output_len, 512);
}

TEST(PlanWarmup, CompatFullLengthAndDisable) {
  WarmupOptions full;
  full.warmup_requests = 2;
  full.full_output_length = true;
  EXPECT_EQ(PlanWarmup(full, 100).output_len, 100);
  EXPECT_EQ(PlanWarmup(full, 100).requests, 2);

  WarmupOptions off;
  off.disable_warmup = true;
  off.num_warmups = 4;
  EXPECT_EQ(PlanWarmup(off, 100).requests, 0);

  WarmupOptions zero;
  zero.warmup_requests = 0;
  EXPECT_EQ(PlanWarmup(zero, 100).requests, 0);
  EXPECT_EQ(PlanWarmup(zero, 100).output_len, 0);
}

}  // namespace
}  // namespace servebench::load
