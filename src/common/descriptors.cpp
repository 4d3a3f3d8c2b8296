#include "common/descriptors.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace servebench {

int64_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return -1;
  return static_cast<int64_t>(limit.rlim_cur);
}

int64_t ReserveDescriptorTable(int64_t count) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  int64_t top = count;
  if (limit.rlim_cur != RLIM_INFINITY) top = std::min(top, static_cast<int64_t>(limit.rlim_cur));
  if (top < 2) return 0;
  // F_DUPFD puts a duplicate at the lowest free descriptor >= the argument, which makes the
  // kernel size the table for it; the table never shrinks, so closing it keeps the room.
  int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, static_cast<int>(top - 1));
  if (fd < 0) fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, static_cast<int>(top - 1));
  if (fd < 0) return 0;
  close(fd);
  return top;
}

}  // namespace servebench
