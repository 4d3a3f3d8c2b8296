// serve-sim must never be the bottleneck of a client benchmark: in --instant mode one server
// thread has to write at least 1,000,000 SSE events/s over loopback.
//
// The server runs in-process with one I/O thread; the client is one thread of raw sockets that
// pipelines requests on a few keep-alive connections and only counts event separators, so it
// stays far cheaper than the server. Prints events/s per family shape.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/clock.h"
#include "sim/server.h"

namespace {

using servebench::MonotonicNanos;
using namespace servebench::sim;

struct Shape {
  const char* name;
  Family family;
  const char* path;
  const char* body;
};

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  return fd;
}

// Returns events per second for `requests` requests of `tokens` tokens spread on `connections`.
double Measure(const Shape& shape, int connections, int requests, int tokens) {
  SimOptions options;
  options.instant = true;
  options.threads = 1;
  options.port = 0;
  options.family = shape.family;
  options.max_model_len = 1 << 20;
  Server server(options);
  if (auto s = server.Start(); !s) {
    std::fprintf(stderr, "%s\n", s.error().message.c_str());
    std::exit(1);
  }
  std::string body(shape.body);
  body.replace(body.find("TOKENS"), 6, std::to_string(tokens));
  auto request = [&](bool close) {
    return std::string("POST ") + shape.path +
           " HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
  };
  std::vector<int> fds;
  std::vector<std::string> outgoing(connections);
  for (int c = 0; c < connections; ++c) {
    int per = requests / connections;
    for (int i = 0; i < per; ++i)
      outgoing[c] += request(i == per - 1);
    fds.push_back(Connect(server.port()));
  }
  std::vector<size_t> sent(connections, 0);
  std::vector<bool> open(connections, true);
  std::vector<char> buffer(1 << 20);
  int64_t events = 0;
  char previous = 0;
  int remaining = connections;
  int64_t start = MonotonicNanos();
  while (remaining > 0) {
    std::vector<pollfd> polls;
    for (int c = 0; c < connections; ++c) {
      short want = POLLIN;
      if (sent[c] < outgoing[c].size()) want |= POLLOUT;
      polls.push_back({open[c] ? fds[c] : -1, want, 0});
    }
    ::poll(polls.data(), polls.size(), 1000);
    for (int c = 0; c < connections; ++c) {
      if (!open[c]) continue;
      if ((polls[c].revents & POLLOUT) && sent[c] < outgoing[c].size()) {
        ssize_t n = ::send(fds[c], outgoing[c].data() + sent[c], outgoing[c].size() - sent[c],
                           MSG_NOSIGNAL);
        if (n > 0) sent[c] += static_cast<size_t>(n);
      }
      if (polls[c].revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = ::recv(fds[c], buffer.data(), buffer.size(), 0);
        if (n <= 0) {
          open[c] = false;
          ::close(fds[c]);
          --remaining;
          continue;
        }
        // Every event ends with "\n\n"; the chunk framing and head use "\r\n" only.
        const char* p = buffer.data();
        const char* end = p + n;
        if (previous == '\n' && *p == '\n') ++events;
        while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
          if (p + 1 < end && p[1] == '\n') ++events;
          ++p;
        }
        previous = end[-1];
      }
    }
  }
  double seconds = static_cast<double>(MonotonicNanos() - start) / 1e9;
  server.Stop();
  return static_cast<double>(events) / seconds;
}

}  // namespace

int main() {
  const Shape shapes[] = {
      {"vllm /v1/completions", Family::kVllm, "/v1/completions",
       R"({"model":"serve-sim","prompt":"hello world","max_tokens":TOKENS,"stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}})"},
      {"vllm /v1/chat/completions", Family::kVllm, "/v1/chat/completions",
       R"({"model":"serve-sim","messages":[{"role":"user","content":"hello"}],"max_tokens":TOKENS,"stream":true,"ignore_eos":true})"},
      {"tgi /generate_stream", Family::kTgi, "/generate_stream",
       R"({"inputs":"hello world","parameters":{"max_new_tokens":TOKENS,"details":true}})"},
  };
  std::printf(
      "serve-sim --instant, 1 server thread, 2,000 requests x 256 tokens on 8 keep-alive "
      "connections\n");
  for (const Shape& shape : shapes) {
    double best = 0;
    for (int round = 0; round < 3; ++round) {
      best = std::max(best, Measure(shape, 8, 2000, 256));
    }
    std::printf("  %-28s %12.0f SSE events/s (best of 3)\n", shape.name, best);
  }
  return 0;
}
