// Server processes the tests start (serve-sim, nghttpd): children that die with the test process,
// so a test that crashes leaves no server behind holding ctest's output pipe open.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace servebench::testing {

// fork + exec of `args` (args[0] is the program's path), stdout to /dev/null and stderr to
// `stderr_fd` (/dev/null when -1); `close_in_child` is closed in the child (a pipe's other end).
// Returns the pid, or -1.
inline pid_t SpawnServer(std::vector<std::string> args, int stderr_fd = -1,
                         int close_in_child = -1) {
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(stderr_fd >= 0 ? stderr_fd : devnull, 2);
    if (close_in_child >= 0) close(close_in_child);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// A TCP socket bound to a loopback port (`port` 0: a free one, written back), not listening:
// connections to it are refused while it stays open. -1 on failure.
inline int BindLoopback(uint16_t* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(*port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace servebench::testing
