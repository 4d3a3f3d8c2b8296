#include "client/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "tests/support/child_process.h"
#include "tests/support/local_http_server.h"

namespace servebench::client {
namespace {

// Spec protocols.md §10 item 30: vLLM binds late (refused), SGLang answers 503 while it warms
// up; the wait goes on through both and returns at the first 200.
TEST(WaitReady, WaitsThroughRefusedThen503UntilA200) {
  uint16_t port = 0;
  int refusing = testing::BindLoopback(&port);  // refuses while open
  ASSERT_GE(refusing, 0);
  std::atomic<int> probes{0};
  std::unique_ptr<testing::LocalHttpServer> server;
  std::thread binds_late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    close(refusing);
    server = std::make_unique<testing::LocalHttpServer>(
        [&](const testing::RequestHead&) {
          return ++probes == 1 ? std::string(
                                     "HTTP/1.1 503 Service Unavailable\r\nContent-Length: "
                                     "0\r\nConnection: close\r\n\r\n")
                               : std::string(
                                     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: "
                                     "close\r\n\r\nok");
        },
        port);
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/health";
  const int64_t start = MonotonicNanos();
  Status ready = WaitReady(url, {}, 20);
  const double waited_s = static_cast<double>(MonotonicNanos() - start) / 1e9;
  binds_late.join();
  ASSERT_TRUE(ready) << ready.error().message;
  // Probes a second apart: refused at 0 s and 1 s, 503 at 2 s, 200 at 3 s.
  EXPECT_EQ(probes.load(), 2);
  EXPECT_GE(waited_s, 2.9);
  EXPECT_LT(waited_s, 10);
  EXPECT_EQ(server->requests().at(0).path, "/health");
}

TEST(WaitReady, TimeoutNamesTheUrlTheFlagAndTheLastAnswer) {
  testing::LocalHttpServer server([](const testing::RequestHead&) {
    return std::string("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  });
  const std::string url = server.endpoint() + "/health";
  Status ready = WaitReady(url, {}, 1.5);
  ASSERT_FALSE(ready);
  EXPECT_EQ(ready.error().message,
            "server not ready at " + url + " after 1.5 s (--ready-check-timeout-sec): HTTP 503");
  EXPECT_EQ(server.requests().size(), 2u);  // at 0 s and 1 s; 2 s is past the deadline
}

}  // namespace
}  // namespace servebench::client
