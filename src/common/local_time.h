// Wall-clock instants as local-time text (result dates and file names).
#pragma once

#include <cstdint>
#include <string>

namespace servebench {

// `unix_ns` (CLOCK_REALTIME) in the local time zone, formatted by strftime's `format`
// (at most 63 characters of output).
std::string FormatLocalTime(int64_t unix_ns, const char* format);

}  // namespace servebench
