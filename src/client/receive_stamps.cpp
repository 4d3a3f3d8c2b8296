#include "client/receive_stamps.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "common/clock.h"

namespace servebench::client {
namespace {

// A stamp older than this before its read is taken for a wall-clock step between the two
// readings, not for data that waited: the client reads every socket far sooner.
constexpr int64_t kMaxPlausibleWaitNs = 60'000'000'000;
constexpr int64_t kMaxClockSkewNs = 1'000'000;

int64_t RealtimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

Status CheckKernelTimestamps() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return MakeError("--kernel-timestamps: cannot open a TCP socket to test it: {}",
                     std::strerror(errno));
  }
  bool enabled = EnableKernelTimestamps(fd);
  int saved = errno;
  close(fd);
  if (!enabled) {
    return MakeError(
        "--kernel-timestamps: this system does not timestamp received TCP data (SO_TIMESTAMPNS: "
        "{}); run without the flag",
        std::strerror(saved));
  }
  return Ok();
}

bool EnableKernelTimestamps(int fd) {
  int on = 1;
  return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
}

KernelReceiveClock::KernelReceiveClock(size_t peek_bytes) : scratch_(peek_bytes) {}

std::optional<int64_t> KernelReceiveClock::PendingArrival(int fd, int64_t* user_ns) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  iovec io{scratch_.data(), scratch_.size()};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t n = recvmsg(fd, &message, MSG_PEEK | MSG_DONTWAIT);
  *user_ns = MonotonicNanos();
  if (n <= 0) return std::nullopt;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp;
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    const int64_t offset = RealtimeNanos() - *user_ns;
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

}  // namespace servebench::client
