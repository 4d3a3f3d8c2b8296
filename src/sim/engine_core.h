// The step rule of serve-sim's engine model, without a clock (see sim/engine.h for the rule
// itself). A step is begun (cancelled requests dropped, waiting ones admitted, prefill and decode
// assigned, its duration computed) and later finished (its tokens delivered at the step's end
// time). sim::Engine drives it in real time on its own thread; sim::RunClosedLoop (closed_loop.h)
// drives it in simulated time. Not thread-safe: one driver owns it.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "sim/options.h"

namespace servebench::sim {

struct EngineRequest {
  int prompt_tokens = 1;
  int output_tokens = 1;
  // Called at the end of each step that produced a token for this request; `finished` on the
  // last one. In the real-time engine it runs on the engine thread and must not block.
  std::function<void(int64_t step_end_ns, bool finished)> on_token;
  // Set by the owner when the client went away: the engine drops the request at its next step.
  std::atomic<bool> cancelled{false};

 private:
  friend class EngineCore;
  int prefilled = 0;
  int generated = 0;
};

class EngineCore {
 public:
  // What one step does and how long it lasts.
  struct Step {
    int64_t nanos = 0;
    int prefill_tokens = 0;
    int decoding = 0;   // running requests past their prefill
    int producing = 0;  // requests that get a token at the step's end
  };

  explicit EngineCore(const EngineOptions& options) : options_(options) {}

  void Enqueue(std::shared_ptr<EngineRequest> request);
  // Nothing waiting and nothing running: there is no step to take.
  bool Idle() const { return waiting_.empty() && running_.empty(); }

  Step Begin();
  // Delivers the tokens of the step begun last, stamped `step_end_ns`, and retires the requests
  // that are complete. Returns how many finished.
  int64_t Finish(int64_t step_end_ns);

  int running() const { return static_cast<int>(running_.size()); }
  int waiting() const { return static_cast<int>(waiting_.size()); }
  int64_t kv_used() const { return kv_used_; }

 private:
  int64_t StepNanos(int prefill_tokens, int decoding) const;
  static int64_t Reservation(const EngineRequest& r);

  const EngineOptions options_;
  std::deque<std::shared_ptr<EngineRequest>> waiting_;
  std::vector<std::shared_ptr<EngineRequest>> running_;
  std::vector<EngineRequest*> producing_;  // of the step begun last
  int64_t kv_used_ = 0;
};

}  // namespace servebench::sim
