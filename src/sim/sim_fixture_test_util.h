// Starts a serve-sim Server in-process on a free loopback port for one test.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "sim/server.h"
#include "tests/support/http_client.h"

namespace servebench::sim {

class SimServerTest : public ::testing::Test {
 protected:
  // Starts a server with `options` (port forced to 0) and a client for it.
  void StartServer(SimOptions options) {
    options.port = 0;
    options.host = "127.0.0.1";
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(std::move(options));
    auto status = server_->Start();
    ASSERT_TRUE(status) << status.error().message;
    client_ = std::make_unique<servebench::testing::HttpClient>(server_->port());
  }
  static SimOptions Instant() {
    SimOptions o;
    o.instant = true;
    return o;
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<servebench::testing::HttpClient> client_;
};

}  // namespace servebench::sim
