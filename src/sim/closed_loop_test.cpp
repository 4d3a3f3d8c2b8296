// The closed loop in simulated time against timings computed by hand from the step formula
// (sim/engine.h): with fixed step costs every token time is a known multiple of the step.
#include "sim/closed_loop.h"

#include <gtest/gtest.h>

#include <vector>

namespace servebench::sim {
namespace {

constexpr int64_t kMs = 1'000'000;

ClosedLoopOptions FixedSteps(double step_ms, int64_t workers) {
  ClosedLoopOptions o;
  o.engine.step_base_ms = step_ms;
  o.engine.prefill_us_per_token = 0;
  o.engine.decode_us_per_seq = 0;
  o.workers = workers;
  return o;
}

std::vector<int64_t> Ms(std::initializer_list<int64_t> values) {
  std::vector<int64_t> out;
  for (int64_t v : values)
    out.push_back(v * kMs);
  return out;
}

TEST(ClosedLoop, WorkersTakeTheNextRequestWhenTheirsEnds) {
  std::vector<ClosedLoopRequest> requests(4, {100, 5});
  auto out = RunClosedLoop(FixedSteps(10, 2), requests);
  ASSERT_EQ(out.size(), 4u);
  // Two workers: requests 0 and 1 share steps 1..5, then 2 and 3 start at 50 ms.
  for (int i : {0, 1}) {
    EXPECT_EQ(out[i].submit_ns, 0);
    EXPECT_EQ(out[i].token_ns, Ms({10, 20, 30, 40, 50}));
  }
  for (int i : {2, 3}) {
    EXPECT_EQ(out[i].submit_ns, 50 * kMs);
    EXPECT_EQ(out[i].token_ns, Ms({60, 70, 80, 90, 100}));
  }
}

TEST(ClosedLoop, StepTimeFollowsPrefillAndDecodeCosts) {
  ClosedLoopOptions o = FixedSteps(10, 1);
  o.engine.prefill_us_per_token = 100;
  o.engine.decode_us_per_seq = 1000;
  std::vector<ClosedLoopRequest> requests = {{50, 3}, {20, 2}};
  auto out = RunClosedLoop(o, requests);
  // Request 0: prefill step 10 + 50 × 0.1 = 15 ms, then two decode steps of 10 + 1 = 11 ms.
  EXPECT_EQ(out[0].token_ns, Ms({15, 26, 37}));
  // Request 1 enters at 37 ms: prefill 10 + 2 = 12 ms, one decode step of 11 ms.
  EXPECT_EQ(out[1].submit_ns, 37 * kMs);
  EXPECT_EQ(out[1].token_ns, Ms({49, 60}));
}

TEST(ClosedLoop, TensorParallelismDividesTheStep) {
  ClosedLoopOptions o = FixedSteps(10, 1);
  o.tp = 2;
  std::vector<ClosedLoopRequest> requests = {{10, 3}};
  auto out = RunClosedLoop(o, requests);
  EXPECT_EQ(out[0].token_ns, Ms({5, 10, 15}));
}

TEST(ClosedLoop, BatchLimitQueuesTheOtherWorkers) {
  ClosedLoopOptions o = FixedSteps(10, 3);
  o.engine.max_running = 2;
  std::vector<ClosedLoopRequest> requests(3, {10, 2});
  auto out = RunClosedLoop(o, requests);
  EXPECT_EQ(out[0].token_ns, Ms({10, 20}));
  EXPECT_EQ(out[1].token_ns, Ms({10, 20}));
  // Submitted at 0 like the others, admitted when the batch frees at 20 ms.
  EXPECT_EQ(out[2].submit_ns, 0);
  EXPECT_EQ(out[2].token_ns, Ms({30, 40}));
}

TEST(ClosedLoop, KvBudgetQueuesWhatDoesNotFit) {
  ClosedLoopOptions o = FixedSteps(10, 2);
  o.engine.kv_tokens = 150;  // one request of 100 + 2 fits, two do not
  std::vector<ClosedLoopRequest> requests(2, {100, 2});
  auto out = RunClosedLoop(o, requests);
  EXPECT_EQ(out[0].token_ns, Ms({10, 20}));
  EXPECT_EQ(out[1].token_ns, Ms({30, 40}));
}

TEST(ClosedLoop, ChunkedPrefillDelaysTheFirstToken) {
  ClosedLoopOptions o = FixedSteps(10, 1);
  o.engine.prefill_chunk = 100;
  std::vector<ClosedLoopRequest> requests = {{250, 2}};
  auto out = RunClosedLoop(o, requests);
  // 100 + 100 + 50 prompt tokens: the first token comes with the third step.
  EXPECT_EQ(out[0].token_ns, Ms({30, 40}));
}

TEST(ClosedLoop, ThroughputOfASaturatedBatchMatchesTheFormula) {
  // 64 workers, 640 requests of 32 tokens, 1 ms base + 0.1 ms per decoding request: after the
  // prefill step every step decodes 64 requests (7.4 ms) and yields 64 tokens.
  ClosedLoopOptions o = FixedSteps(1, 64);
  o.engine.decode_us_per_seq = 100;
  std::vector<ClosedLoopRequest> requests(640, {8, 32});
  auto out = RunClosedLoop(o, requests);
  // Ten waves, each one prefill step (1 ms) plus 31 decode steps (7.4 ms).
  int64_t wave_ns = 1 * kMs + 31 * 7'400'000;
  EXPECT_EQ(out.back().token_ns.back(), 10 * wave_ns);
  for (const ClosedLoopOutcome& r : out)
    EXPECT_EQ(r.token_ns.size(), 32u);
}

TEST(ClosedLoop, MoreWorkersThanRequests) {
  std::vector<ClosedLoopRequest> requests(2, {1, 1});
  auto out = RunClosedLoop(FixedSteps(10, 64), requests);
  EXPECT_EQ(out[0].token_ns, Ms({10}));
  EXPECT_EQ(out[1].token_ns, Ms({10}));
}

}  // namespace
}  // namespace servebench::sim
