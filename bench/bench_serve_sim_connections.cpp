// serve-sim holds 10,000 concurrent streaming connections: the server runs in a child process
// (so that each side has its own descriptor limit), the parent opens 10,000 connections, sends one
// streamed request on each and waits until every stream has ended. Prints the time the streams
// took, how many completed, and the server's peak RSS per stream.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "sim/server.h"

namespace {

constexpr int kStreams = 10'000;

long PeakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

void RaiseFileLimit() {
  rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

int main() {
  RaiseFileLimit();
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    servebench::sim::SimOptions options;
    options.port = 0;
    options.threads = 1;
    options.family = servebench::sim::Family::kVllm;
    options.pace_ttft_ms = 3000;  // every stream is open before its first token
    options.pace_itl_ms = 50;
    servebench::sim::Server server(options);
    if (!server.Start()) _exit(1);
    int port = server.port();
    if (write(pipe_fds[1], &port, sizeof port) != sizeof port) _exit(1);
    pause();
    _exit(0);
  }
  int port = 0;
  if (read(pipe_fds[0], &port, sizeof port) != sizeof port) return 1;
  long idle_rss = PeakRssKb(child);

  const std::string body =
      R"({"model":"serve-sim","prompt":"hello world","max_tokens":8,"stream":true,"ignore_eos":true})";
  const std::string request =
      "POST /v1/completions HTTP/1.1\r\nHost: b\r\nContent-Type: "
      "application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  int epoll = epoll_create1(0);
  std::vector<int> fds;
  std::vector<std::string> received(kStreams);
  int64_t start = servebench::MonotonicNanos();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  for (int i = 0; i < kStreams; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("connect");
      kill(child, SIGKILL);
      return 1;
    }
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      std::perror("send");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
    fds.push_back(fd);
  }
  int64_t connected = servebench::MonotonicNanos();
  int open = kStreams;
  int complete = 0;
  std::vector<epoll_event> events(1024);
  char buffer[65536];
  while (open > 0) {
    int n = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 30000);
    if (n <= 0) break;
    for (int e = 0; e < n; ++e) {
      uint32_t i = events[e].data.u32;
      ssize_t got = recv(fds[i], buffer, sizeof buffer, 0);
      if (got > 0) {
        received[i].append(buffer, static_cast<size_t>(got));
        continue;
      }
      if (received[i].ends_with("data: [DONE]\n\n\r\n0\r\n\r\n")) ++complete;
      epoll_ctl(epoll, EPOLL_CTL_DEL, fds[i], nullptr);
      close(fds[i]);
      --open;
    }
  }
  int64_t end = servebench::MonotonicNanos();
  long peak_rss = PeakRssKb(child);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  std::printf("serve-sim (1 thread, --pace 3000,50, 8 tokens): %d concurrent streams\n", kStreams);
  std::printf("  connected and sent in     %8.1f ms\n", (connected - start) / 1e6);
  std::printf("  all streams ended after   %8.1f ms\n", (end - start) / 1e6);
  std::printf("  completed                 %8d of %d\n", complete, kStreams);
  std::printf("  server peak RSS           %8.1f MiB (idle %.1f MiB): %.1f KiB per stream\n",
              peak_rss / 1024.0, idle_rss / 1024.0,
              static_cast<double>(peak_rss - idle_rss) / kStreams);
  return complete == kStreams ? 0 : 1;
}
