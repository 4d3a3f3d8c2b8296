// A minimal HTTP/1.1 server on 127.0.0.1 for tests of download code: one connection at a time,
// one request per connection (Connection: close), the reply written by the test's handler.
// Every request's head is recorded so a test can check paths and headers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace servebench::testing {

struct RequestHead {
  std::string path;
  std::string raw;  // the request line and headers

  // The value of header `name` (as the client spelled it), or "".
  std::string Header(const std::string& name) const {
    size_t at = raw.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return raw.substr(at, raw.find("\r\n", at) - at);
  }
};

class LocalHttpServer {
 public:
  // `respond` returns the whole reply (status line, headers, body) for one request. `port` 0
  // takes a free one.
  explicit LocalHttpServer(std::function<std::string(const RequestHead&)> respond,
                           uint16_t port = 0)
      : respond_(std::move(respond)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~LocalHttpServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<RequestHead> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      timeval timeout{5, 0};
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      RequestHead head;
      char buffer[4096];
      while (head.raw.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = recv(client, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        head.raw.append(buffer, static_cast<size_t>(n));
      }
      size_t start = head.raw.find(' ');
      if (start != std::string::npos) {
        head.path = head.raw.substr(start + 1, head.raw.find(' ', start + 1) - start - 1);
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(head);
      }
      std::string response = respond_(head);
      size_t sent = 0;
      while (sent < response.size()) {
        ssize_t n = send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      close(client);
    }
  }

  std::function<std::string(const RequestHead&)> respond_;
  int fd_;
  int port_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<RequestHead> requests_;
};

}  // namespace servebench::testing
