#include "common/local_time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace servebench {
namespace {

TEST(LocalTimeTest, FormatsInTheLocalZone) {
  // 2026-11-24 07:31:04 UTC, shown in a fixed zone two hours east of UTC.
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  setenv("TZ", "XYZ-2", 1);
  tzset();
  const int64_t ns = 1'795'505'464'123'456'789;
  EXPECT_EQ(FormatLocalTime(ns, "%Y%m%d-%H%M%S"), "20261124-093104");
  EXPECT_EQ(FormatLocalTime(ns, "%z"), "+0200");
  EXPECT_EQ(FormatLocalTime(ns, "%m%d"), "1124");
  if (old_tz) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

}  // namespace
}  // namespace servebench
