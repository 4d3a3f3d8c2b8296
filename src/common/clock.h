// The one clock every timestamp in servebench comes from.
#pragma once

#include <cstdint>
#include <ctime>

namespace servebench {

// CLOCK_MONOTONIC in nanoseconds: never jumps with wall-clock changes, and is the same clock in
// the client and in serve-sim on one machine, so their timestamps can be compared directly.
inline int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline int64_t MonotonicMicros() {
  return MonotonicNanos() / 1000;
}

}  // namespace servebench
