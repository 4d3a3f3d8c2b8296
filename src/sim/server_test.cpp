#include <gtest/gtest.h>

#include "sim/sim_fixture_test_util.h"

namespace servebench::sim {
namespace {

TEST_F(SimServerTest, StreamsVllmCompletion) {
  SimOptions o = Instant();
  o.family = Family::kVllm;
  StartServer(o);
  auto r =
      client_->Post("/v1/completions",
                    R"({"model":"serve-sim","prompt":"The capital of France is","max_tokens":3,)"
                    R"("stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}})");
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  std::printf("%s%s\n", r.headers.c_str(), r.body.c_str());
}

}  // namespace
}  // namespace servebench::sim
