// KernelReceiveClock on a real loopback TCP connection: the stamp is when the bytes arrived, not
// when they were looked at, and covers the newest segment pending.
#include "common/receive_stamps.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/clock.h"

namespace servebench {
namespace {

void Sleep(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

TEST(KernelReceiveClock, StampsArrivalNotTheLookAndTheNewestPendingSegment) {
  auto stamping = KernelStamping::Start();
  ASSERT_TRUE(stamping) << stamping.error().message;
  auto opened = LoopbackPair::Open();
  ASSERT_TRUE(opened) << opened.error().message;
  const LoopbackPair& pair = *opened;
  ASSERT_TRUE(EnableKernelTimestamps(pair.reader()));
  KernelReceiveClock clock(16 * 1024);
  int64_t user_ns = 0;
  size_t pending = 99;
  EXPECT_FALSE(clock.PendingArrival(pair.reader(), &user_ns, &pending)) << "nothing pending";
  EXPECT_EQ(pending, 0u);

  const int64_t first_sent = MonotonicNanos();
  ASSERT_EQ(write(pair.writer(), "hello", 5), 5);
  Sleep(30);
  std::optional<int64_t> arrival = clock.PendingArrival(pair.reader(), &user_ns, &pending);
  ASSERT_TRUE(arrival);
  EXPECT_EQ(pending, 5u);
  EXPECT_GE(*arrival, first_sent - 50'000);  // the offset's reading error, at most µs
  EXPECT_LT(*arrival - first_sent, 10'000'000) << "stamped at arrival, not 30 ms later";
  EXPECT_GE(user_ns - *arrival, 20'000'000);

  // A peek leaves the bytes; a second segment 30 ms later moves the stamp to it.
  const int64_t second_sent = MonotonicNanos();
  ASSERT_EQ(write(pair.writer(), "world", 5), 5);
  Sleep(30);
  arrival = clock.PendingArrival(pair.reader(), &user_ns, &pending);
  ASSERT_TRUE(arrival);
  EXPECT_EQ(pending, 10u);
  EXPECT_GE(*arrival, second_sent - 50'000);
  EXPECT_LT(*arrival - second_sent, 10'000'000);

  // A peek that fills its buffer saw only part of what is pending: the read after it could
  // deliver newer bytes, so it gives no stamp rather than an early one.
  KernelReceiveClock small(5);
  EXPECT_FALSE(small.PendingArrival(pair.reader(), &user_ns, &pending));
  EXPECT_EQ(pending, 5u);
}

TEST(KernelReceiveClock, NoStampWithoutTheSocketOption) {
  auto stamping = KernelStamping::Start();
  ASSERT_TRUE(stamping) << stamping.error().message;
  auto opened = LoopbackPair::Open();
  ASSERT_TRUE(opened) << opened.error().message;
  const LoopbackPair& pair = *opened;
  KernelReceiveClock clock(1024);
  ASSERT_EQ(write(pair.writer(), "x", 1), 1);
  Sleep(5);
  int64_t user_ns = 0;
  size_t pending = 0;
  EXPECT_FALSE(clock.PendingArrival(pair.reader(), &user_ns, &pending));
  EXPECT_EQ(pending, 1u);
  EXPECT_GT(user_ns, 0);
}

}  // namespace
}  // namespace servebench
