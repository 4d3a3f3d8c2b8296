// The engine model in-process: timing at low load, growth of TTFT with load, the batch limit and
// the KV budget. A step can never be shorter than its formula, so lower bounds are exact; upper
// bounds leave room for a loaded CI machine waking the engine thread late.
#include "sim/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/clock.h"

namespace servebench::sim {
namespace {

struct Outcome {
  int64_t submitted_ns = 0;
  int64_t first_token_ns = 0;
  int64_t last_token_ns = 0;
  int tokens = 0;
};

// Submits requests (prompt, output) at once and waits for all to finish.
class EngineRun {
 public:
  explicit EngineRun(const EngineOptions& options) : engine_(options) {}

  std::vector<Outcome> Run(const std::vector<std::pair<int, int>>& requests) {
    std::vector<Outcome> outcomes(requests.size());
    remaining_ = static_cast<int>(requests.size());
    std::vector<std::shared_ptr<Engine::Request>> batch;
    for (size_t i = 0; i < requests.size(); ++i) {
      auto r = std::make_shared<Engine::Request>();
      r->prompt_tokens = requests[i].first;
      r->output_tokens = requests[i].second;
      Outcome* o = &outcomes[i];
      r->on_token = [this, o](int64_t step_end_ns, bool finished) {
        std::lock_guard lock(mutex_);
        if (o->tokens++ == 0) o->first_token_ns = step_end_ns;
        o->last_token_ns = step_end_ns;
        if (finished && --remaining_ == 0) done_.notify_all();
      };
      batch.push_back(std::move(r));
    }
    int64_t now = MonotonicNanos();
    for (Outcome& o : outcomes)
      o.submitted_ns = now;
    engine_.Submit(std::move(batch));
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return remaining_ == 0; });
    return outcomes;
  }

  Engine& engine() { return engine_; }

 private:
  Engine engine_;
  std::mutex mutex_;
  std::condition_variable done_;
  int remaining_ = 0;
};

EngineOptions Slow() {
  EngineOptions o;
  o.step_base_ms = 10;
  o.prefill_us_per_token = 20;
  o.decode_us_per_seq = 1000;
  o.prefill_chunk = 1000;
  return o;
}

double Ms(int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

TEST(EngineTest, LowLoadTimingFollowsTheStepFormula) {
  EngineRun run(Slow());
  auto out = run.Run({{500, 5}});
  ASSERT_EQ(out[0].tokens, 5);
  // One step prefills 500 tokens: 10 + 500*0.02 = 20 ms; then 4 decode steps of 10 + 1 = 11 ms.
  double ttft = Ms(out[0].first_token_ns - out[0].submitted_ns);
  double itl = Ms(out[0].last_token_ns - out[0].first_token_ns) / 4;
  EXPECT_GE(ttft, 20.0);
  EXPECT_LT(ttft, 120.0);
  EXPECT_GE(itl, 11.0);
  EXPECT_LT(itl, 31.0);
}

TEST(EngineTest, DefaultsResembleAnEightBillionModel) {
  EngineRun run(EngineOptions{});
  auto out = run.Run({{1000, 20}});
  double ttft = Ms(out[0].first_token_ns - out[0].submitted_ns);
  double itl = Ms(out[0].last_token_ns - out[0].first_token_ns) / 19;
  // 14 + 1000 × 0.01 = 24 ms, then 14 + 0.2 = 14.2 ms per token.
  EXPECT_GE(ttft, 24.0);
  EXPECT_LT(ttft, 124.0);
  EXPECT_GE(itl, 14.2);
  EXPECT_LT(itl, 34.2);
}

TEST(EngineTest, TtftGrowsWithLoad) {
  EngineRun alone(Slow());
  auto one = alone.Run({{800, 2}});
  EngineRun loaded(Slow());
  // Sixteen 800-token prompts share a 1000-token prefill chunk: the last waits ~13 steps.
  std::vector<std::pair<int, int>> many(16, {800, 2});
  auto out = loaded.Run(many);
  double single = Ms(one[0].first_token_ns - one[0].submitted_ns);
  double worst = 0;
  for (const auto& o : out)
    worst = std::max(worst, Ms(o.first_token_ns - o.submitted_ns));
  EXPECT_GT(worst, 5 * single);
}

TEST(EngineTest, BatchLimitCapsRunningRequests) {
  EngineOptions options = Slow();
  options.max_running = 4;
  EngineRun run(options);
  std::vector<std::pair<int, int>> requests(12, {10, 3});
  auto out = run.Run(requests);
  // Three waves of four: the first token of the last wave comes after two waves have finished.
  std::vector<int64_t> firsts;
  for (const auto& o : out)
    firsts.push_back(o.first_token_ns);
  std::sort(firsts.begin(), firsts.end());
  EXPECT_EQ(firsts[0], firsts[3]);  // the first four start in the same step
  EXPECT_LT(firsts[3], firsts[4]);  // the fifth waits for a slot
  EXPECT_LT(firsts[7], firsts[8]);
  EXPECT_EQ(run.engine().GetStats().generation_tokens, 36);
}

TEST(EngineTest, KvBudgetQueuesRequests) {
  EngineOptions options = Slow();
  options.kv_tokens = 250;  // room for two requests of 100 + 20 tokens
  EngineRun run(options);
  auto out = run.Run({{100, 20}, {100, 20}, {100, 20}});
  std::vector<int64_t> firsts = {out[0].first_token_ns, out[1].first_token_ns,
                                 out[2].first_token_ns};
  EXPECT_EQ(firsts[0], firsts[1]);
  // The third request is admitted only when one of the first two has freed its reservation.
  EXPECT_GE(out[2].first_token_ns, std::min(out[0].last_token_ns, out[1].last_token_ns));
}

TEST(EngineTest, CancelledRequestsFreeTheirSlot) {
  EngineOptions options = Slow();
  options.max_running = 1;
  Engine engine(options);
  auto hog = std::make_shared<Engine::Request>();
  hog->prompt_tokens = 10;
  hog->output_tokens = 1'000'000;
  hog->on_token = [](int64_t, bool) {};
  engine.Submit(hog);
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  auto next = std::make_shared<Engine::Request>();
  next->prompt_tokens = 10;
  next->output_tokens = 1;
  next->on_token = [&](int64_t, bool finished) {
    std::lock_guard lock(mutex);
    done = finished;
    cv.notify_all();
  };
  engine.Submit(next);
  hog->cancelled.store(true);
  std::unique_lock lock(mutex);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return done; }));
}

}  // namespace
}  // namespace servebench::sim
