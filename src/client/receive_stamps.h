// Kernel receive timestamps (spec/beyond.md 12, --kernel-timestamps).
//
// A user-space read stamp is taken when the loop gets to a socket, so it includes the time the
// bytes waited for the client: a busy or descheduled client inflates TTFT and ITL. The kernel
// stamps every received segment when it reaches the host (SO_TIMESTAMPNS), independently of the
// client's scheduling. Before libcurl reads a readable socket, the loop peeks at what is pending
// (MSG_PEEK, up to libcurl's read size) and takes the kernel time of the last segment the peek
// returned: the arrival of the newest byte the coming read delivers, so no event is stamped
// before it arrived.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"

namespace servebench::client {

// Fails with a one-line message naming --kernel-timestamps when this system cannot timestamp
// received TCP data.
Status CheckKernelTimestamps();

// Asks the kernel to timestamp the segments `fd` receives. False when refused.
bool EnableKernelTimestamps(int fd);

class KernelReceiveClock {
 public:
  // `peek_bytes`: how much pending data a peek covers (libcurl's read buffer size).
  explicit KernelReceiveClock(size_t peek_bytes);

  // The kernel arrival time (CLOCK_MONOTONIC ns) of the last segment of the data pending on `fd`
  // (at most peek_bytes), or nullopt when nothing is pending or it carries no timestamp.
  // `*user_ns` receives the user-space stamp, read right after the peek; the arrival is never
  // later than it. The wall-clock stamp is converted with the offset read beside that stamp, so
  // a clock step elsewhere in the run does not shift it.
  std::optional<int64_t> PendingArrival(int fd, int64_t* user_ns);

 private:
  std::vector<char> scratch_;
};

}  // namespace servebench::client
