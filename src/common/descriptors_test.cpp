#include "common/descriptors.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace servebench {
namespace {

int64_t SoftLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<int64_t>(limit.rlim_cur);
}

// The size of this process's descriptor table, as the kernel reports it ("FDSize").
int64_t DescriptorTableSize() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("FDSize:")) return std::stoll(line.substr(7));
  }
  return -1;
}

TEST(DescriptorsTest, RaiseFileLimitReportsTheSoftLimitInForce) {
  int64_t raised = RaiseFileLimit();
  EXPECT_EQ(raised, SoftLimit());
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, limit.rlim_max);
}

TEST(DescriptorsTest, ReserveGrowsTheTableAndLeavesNoDescriptorOpen) {
  int64_t limit = RaiseFileLimit();
  int64_t want = limit < 0 ? 4096 : std::min<int64_t>(limit, 4096);
  ASSERT_GT(want, 1024) << "the test needs RLIMIT_NOFILE above 1024";
  const int64_t before = DescriptorTableSize();
  ASSERT_GT(before, 0);
  ASSERT_LT(before, want) << "the table is already large: the test would show nothing";
  // A fresh descriptor is the lowest free one: if the reservation leaked its duplicate, the
  // next open would not reuse that number, but the count of open descriptors would grow.
  int probe_before = dup(STDERR_FILENO);
  close(probe_before);
  EXPECT_EQ(ReserveDescriptorTable(want), want);
  EXPECT_GE(DescriptorTableSize(), want);
  EXPECT_EQ(fcntl(static_cast<int>(want - 1), F_GETFD), -1) << "the duplicate was not closed";
  int probe_after = dup(STDERR_FILENO);
  EXPECT_EQ(probe_after, probe_before);
  close(probe_after);
}

TEST(DescriptorsTest, ReserveIsCappedByTheSoftLimit) {
  int64_t limit = RaiseFileLimit();
  if (limit < 0) GTEST_SKIP() << "RLIMIT_NOFILE is unlimited";
  EXPECT_EQ(ReserveDescriptorTable(limit * 4), limit);
  EXPECT_EQ(ReserveDescriptorTable(1), 0);
}

}  // namespace
}  // namespace servebench
