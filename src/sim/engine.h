// serve-sim's performance model: a continuous-batching engine with a step loop, run on its own
// thread in real time.
//
// Each step admits waiting requests while the batch limit (max_running) and the KV-token budget
// allow (a request reserves prompt + output tokens, so a full budget queues new arrivals), gives
// prefill at most `prefill_chunk` prompt tokens (chunked prefill, in admission order), and produces
// one token for every running request that has finished its prefill, including the ones whose
// prefill completed in this step. The step lasts
//   step_base_ms + prefill_tokens × prefill_us_per_token + decoding_requests × decode_us_per_seq
// and its tokens are delivered when it ends. The rule itself is EngineCore (engine_core.h); this
// class runs it in real time. Usable without HTTP (`--calibrate`); `servebench throughput` runs
// the same rule in simulated time (closed_loop.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/engine_core.h"
#include "sim/options.h"

namespace servebench::sim {

class Engine {
 public:
  using Request = EngineRequest;

  struct Stats {
    int running = 0;
    int waiting = 0;
    int64_t steps = 0;
    int64_t prompt_tokens = 0;      // prefilled so far
    int64_t generation_tokens = 0;  // produced so far
    int64_t finished_requests = 0;
    int64_t kv_tokens_used = 0;
  };

  explicit Engine(const EngineOptions& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void Submit(std::shared_ptr<Request> request);
  // Submits several requests at once: they all reach the same step.
  void Submit(std::vector<std::shared_ptr<Request>> requests);
  Stats GetStats() const;

 private:
  void Loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Request>> incoming_;  // guarded by mutex_
  bool stop_ = false;                              // guarded by mutex_

  EngineCore core_;  // engine-thread state

  std::atomic<int> stat_running_{0};
  std::atomic<int> stat_waiting_{0};
  std::atomic<int64_t> stat_steps_{0};
  std::atomic<int64_t> stat_prompt_tokens_{0};
  std::atomic<int64_t> stat_generation_tokens_{0};
  std::atomic<int64_t> stat_finished_{0};
  std::atomic<int64_t> stat_kv_used_{0};

  std::thread thread_;
};

}  // namespace servebench::sim
