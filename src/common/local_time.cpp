#include "common/local_time.h"

#include <ctime>

namespace servebench {

std::string FormatLocalTime(int64_t unix_ns, const char* format) {
  time_t seconds = static_cast<time_t>(unix_ns / 1'000'000'000);
  tm local{};
  localtime_r(&seconds, &local);
  char text[64];
  size_t n = strftime(text, sizeof text, format, &local);
  return std::string(text, n);
}

}  // namespace servebench
