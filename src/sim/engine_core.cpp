#include "sim/engine_core.h"

#include <algorithm>

namespace servebench::sim {

void EngineCore::Enqueue(std::shared_ptr<EngineRequest> request) {
  waiting_.push_back(std::move(request));
}

int64_t EngineCore::StepNanos(int prefill_tokens, int decoding) const {
  double us = options_.step_base_ms * 1000.0 + prefill_tokens * options_.prefill_us_per_token +
              decoding * options_.decode_us_per_seq;
  return static_cast<int64_t>(us * 1000.0);
}

int64_t EngineCore::Reservation(const EngineRequest& r) {
  return static_cast<int64_t>(r.prompt_tokens) + r.output_tokens;
}

EngineCore::Step EngineCore::Begin() {
  // Requests whose client went away free their slot and KV reservation.
  std::erase_if(waiting_, [&](const std::shared_ptr<EngineRequest>& r) {
    return r->cancelled.load(std::memory_order_relaxed);
  });
  std::erase_if(running_, [&](const std::shared_ptr<EngineRequest>& r) {
    if (!r->cancelled.load(std::memory_order_relaxed)) return false;
    kv_used_ -= Reservation(*r);
    return true;
  });

  // Admission is first-come first-served: the head of the queue blocks those behind it, as in
  // the real schedulers. A request larger than the whole budget runs alone rather than never.
  while (!waiting_.empty() && static_cast<int>(running_.size()) < options_.max_running) {
    int64_t need = Reservation(*waiting_.front());
    if (kv_used_ + need > options_.kv_tokens && !running_.empty()) break;
    kv_used_ += need;
    running_.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }

  Step step;
  int budget = options_.prefill_chunk;
  producing_.clear();
  for (auto& r : running_) {
    if (r->prefilled < r->prompt_tokens) {
      int take = std::min(budget, r->prompt_tokens - r->prefilled);
      r->prefilled += take;
      budget -= take;
      step.prefill_tokens += take;
      if (r->prefilled == r->prompt_tokens) producing_.push_back(r.get());
    } else {
      ++step.decoding;
      producing_.push_back(r.get());
    }
  }
  step.producing = static_cast<int>(producing_.size());
  step.nanos = StepNanos(step.prefill_tokens, step.decoding);
  return step;
}

int64_t EngineCore::Finish(int64_t step_end_ns) {
  int64_t finished = 0;
  for (EngineRequest* r : producing_) {
    ++r->generated;
    bool done = r->generated >= r->output_tokens;
    if (done) ++finished;
    r->on_token(step_end_ns, done);
  }
  producing_.clear();
  if (finished > 0) {
    std::erase_if(running_, [&](const std::shared_ptr<EngineRequest>& r) {
      if (r->generated < r->output_tokens) return false;
      kv_used_ -= Reservation(*r);
      return true;
    });
  }
  return finished;
}

}  // namespace servebench::sim
