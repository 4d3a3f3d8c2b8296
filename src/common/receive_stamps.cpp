#include "common/receive_stamps.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "common/clock.h"

namespace servebench {
namespace {

// A stamp older than this before its read is taken for a wall-clock step between the two
// readings, not for data that waited: the client reads every socket far sooner.
constexpr int64_t kMaxPlausibleWaitNs = 60'000'000'000;
constexpr int64_t kMaxClockSkewNs = 1'000'000;
// Two clock readings via the vDSO take well under 1 µs; more means the thread was interrupted.
constexpr int64_t kMaxBracketNs = 20'000;

int64_t RealtimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

Expected<KernelStamping> KernelStamping::Start(int timeout_ms) {
  auto pair = LoopbackPair::Open();
  if (!pair) return MakeError("--kernel-timestamps: {}", pair.error().message);
  if (!EnableKernelTimestamps(pair->reader())) {
    return MakeError("--kernel-timestamps: the kernel refused receive timestamps: {}",
                     std::strerror(errno));
  }
  KernelReceiveClock clock(64);  // more than the one probe byte: a full peek gives no stamp
  const int64_t deadline = MonotonicNanos() + int64_t{timeout_ms} * 1'000'000;
  for (;;) {
    // One byte at a time, each read back: until one arrives stamped.
    char byte = 0;
    if (write(pair->writer(), &byte, 1) != 1) break;
    int64_t user_ns = 0;
    size_t pending = 0;
    for (int tries = 0; tries < 1000 && pending == 0; ++tries) {
      std::optional<int64_t> arrival = clock.PendingArrival(pair->reader(), &user_ns, &pending);
      if (arrival) return KernelStamping(std::move(*pair));
      if (pending == 0) usleep(100);
    }
    if (read(pair->reader(), &byte, 1) != 1 || MonotonicNanos() > deadline) break;
    usleep(1000);
  }
  return MakeError("--kernel-timestamps: the kernel did not stamp received TCP data within {} ms",
                   timeout_ms);
}

bool EnableKernelTimestamps(int fd) {
  int on = 1;
  return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
}

KernelReceiveClock::KernelReceiveClock(size_t peek_bytes) : scratch_(peek_bytes) {}

std::optional<int64_t> KernelReceiveClock::PendingArrival(int fd, int64_t* user_ns,
                                                          size_t* pending_bytes) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  iovec io{scratch_.data(), scratch_.size()};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  // MSG_TRUNC: TCP counts the pending bytes and reports the stamp without copying them (the read
  // that follows copies them once); scratch_ stays the buffer in case a kernel copies anyway.
  ssize_t n = recvmsg(fd, &message, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
  *user_ns = MonotonicNanos();
  if (pending_bytes != nullptr) *pending_bytes = n > 0 ? static_cast<size_t>(n) : 0;
  // A full peek: more is pending than it saw, and the read after it may deliver bytes that came
  // later than the stamp would say. The user-space stamp is late but never early.
  if (n <= 0 || static_cast<size_t>(n) == scratch_.size()) return std::nullopt;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp;
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    // The wall clock read between two monotonic readings: a preemption between them would shift
    // the offset by its length, so a wide bracket gives no kernel time.
    const int64_t real = RealtimeNanos();
    const int64_t after = MonotonicNanos();
    if (after - *user_ns > kMaxBracketNs) return std::nullopt;
    const int64_t offset = real - (*user_ns + (after - *user_ns) / 2);
    const int64_t arrival =
        static_cast<int64_t>(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec - offset;
    // A few ns past the user stamp is the offset's own reading error: clamp it. Far outside the
    // window, a wall-clock step came between the stamp and the offset: no kernel time then.
    if (arrival > *user_ns + kMaxClockSkewNs || arrival < *user_ns - kMaxPlausibleWaitNs) {
      return std::nullopt;
    }
    return std::min(arrival, *user_ns);
  }
  return std::nullopt;
}

}  // namespace servebench
