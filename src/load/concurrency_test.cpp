#include "load/concurrency.h"

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

TEST(SlotQueue, AdmitsUpToCapacityThenQueuesInScheduleOrder) {
  SlotQueue gate(2);
  auto a = gate.Ready(0, 0);
  auto b = gate.Ready(1, 10);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->admit_time, 10);
  // Ready out of index order at the same time: the lower index goes first.
  EXPECT_FALSE(gate.Ready(3, 20).has_value());
  EXPECT_FALSE(gate.Ready(2, 20).has_value());
  EXPECT_EQ(gate.waiting(), 2u);
  auto c = gate.Release(35);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->index, 2u);
  EXPECT_EQ(c->admit_time, 35);  // slot wait 15
  auto d = gate.Release(50);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->index, 3u);
  EXPECT_EQ(gate.in_flight(), 2u);
  EXPECT_FALSE(gate.Release(60).has_value());
  EXPECT_EQ(gate.in_flight(), 1u);
  // A free slot admits at the scheduled time itself: no wait.
  auto e = gate.Ready(4, 70);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->admit_time, 70);
}

TEST(SlotQueue, AdmitTimeIsNeverBeforeTheScheduledTime) {
  SlotQueue gate(1);
  ASSERT_TRUE(gate.Ready(0, 0));
  EXPECT_FALSE(gate.Ready(1, 100));
  auto next = gate.Release(40);  // the slot frees before request 1 was due
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->admit_time, 100);
}

TEST(SlotQueue, InfiniteRateWithCapIsAClosedLoopOfC) {
  // Eight requests all due at t0, cap 3, each lasting 10: admits at 0,0,0,10,10,10,20,20.
  SlotQueue gate(3);
  std::vector<int64_t> admit(8, -1);
  for (size_t i = 0; i < 8; ++i) {
    if (auto a = gate.Ready(i, 0)) admit[a->index] = a->admit_time;
  }
  for (int64_t t = 10; gate.waiting() > 0; t += 10) {
    for (int k = 0; k < 3; ++k) {
      if (auto a = gate.Release(t)) admit[a->index] = a->admit_time;
    }
  }
  EXPECT_EQ(admit, (std::vector<int64_t>{0, 0, 0, 10, 10, 10, 20, 20}));
}

TEST(ClosedLoop, WorkersTakeRowsInOrderWhenFree) {
  ClosedLoop loop(5, 2);
  auto wave = loop.Start();
  ASSERT_EQ(wave.size(), 2u);
  EXPECT_EQ(wave[0].index, 0u);
  EXPECT_EQ(wave[1].index, 1u);
  EXPECT_EQ(wave[1].admit_time, 0);
  auto next = loop.Release(7);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->index, 2u);
  EXPECT_EQ(next->admit_time, 7);
  EXPECT_TRUE(loop.Release(8));
  EXPECT_TRUE(loop.Release(9));
  EXPECT_FALSE(loop.Release(10).has_value());
  EXPECT_EQ(loop.sent(), 5u);
}

TEST(ClosedLoop, FirstWaveIsCappedByRequestCount) {
  ClosedLoop loop(2, 64);
  EXPECT_EQ(loop.Start().size(), 2u);
  EXPECT_FALSE(loop.Release(1).has_value());
}

}  // namespace
}  // namespace servebench::load
