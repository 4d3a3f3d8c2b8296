// Kernel receive timestamps: the client's --kernel-timestamps (spec/beyond.md 12) and serve-sim's
// request arrival.
//
// A user-space read stamp is taken when the loop gets to a socket, so it includes the time the
// bytes waited for the client: a busy or descheduled client inflates TTFT and ITL. The kernel
// stamps every received segment when it reaches the host (SO_TIMESTAMPNS), independently of the
// client's scheduling. Before libcurl reads a readable socket, the loop peeks at what is pending
// (MSG_PEEK without copying, up to libcurl's read size) and takes the kernel time of the last
// segment the peek covered: the arrival of the newest byte the coming read delivers, so no event is
// stamped before it arrived.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/loopback_pair.h"
#include "common/status.h"

namespace servebench {

// Keeps the kernel stamping received packets while it lives; Start() fails (naming
// --kernel-timestamps) where the system cannot timestamp received TCP data. The kernel switches
// stamping on lazily (deferred work) when the first socket asks for it, and packets received before
// then carry no stamp; Start() returns once a probe segment over loopback arrives stamped.
class KernelStamping {
 public:
  // Fails (naming --kernel-timestamps) when no stamped segment arrives within `timeout_ms`.
  static Expected<KernelStamping> Start(int timeout_ms = 1000);

  KernelStamping(KernelStamping&&) noexcept = default;
  KernelStamping& operator=(KernelStamping&&) noexcept = default;

 private:
  explicit KernelStamping(LoopbackPair pair)
      : pair_(std::make_unique<LoopbackPair>(std::move(pair))) {}
  std::unique_ptr<LoopbackPair> pair_;  // its reader holds stamping on
};

// Asks the kernel to timestamp the segments `fd` receives. False when refused.
bool EnableKernelTimestamps(int fd);

class KernelReceiveClock {
 public:
  // `peek_bytes`: how much pending data a peek covers (the client: libcurl's read size).
  explicit KernelReceiveClock(size_t peek_bytes);

  // The kernel arrival time (CLOCK_MONOTONIC ns) of the last segment of the data pending on `fd`,
  // or nullopt when nothing is pending, it carries no timestamp, or more than peek_bytes is
  // pending (a read may then deliver bytes newer than the peek saw).
  // `*user_ns` receives the user-space stamp, read right after the peek; the arrival is never
  // later than it. The wall-clock stamp is converted with the offset read beside that stamp, so
  // a clock step elsewhere in the run does not shift it. `*pending_bytes`, when given, receives
  // how many bytes the peek saw (at most peek_bytes).
  std::optional<int64_t> PendingArrival(int fd, int64_t* user_ns, size_t* pending_bytes = nullptr);

 private:
  std::vector<char> scratch_;
};

}  // namespace servebench
