#include "sim/engine.h"

#include <algorithm>
#include <ctime>

#include "common/clock.h"

namespace servebench::sim {
namespace {

void SleepUntil(int64_t deadline_ns) {
  timespec ts{static_cast<time_t>(deadline_ns / 1'000'000'000), deadline_ns % 1'000'000'000};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) != 0) {
  }
}

}  // namespace

Engine::Engine(const EngineOptions& options) : options_(options), thread_([this] { Loop(); }) {}

Engine::~Engine() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Engine::Submit(std::shared_ptr<Request> request) {
  {
    std::lock_guard lock(mutex_);
    incoming_.push_back(std::move(request));
  }
  stat_waiting_.fetch_add(1, std::memory_order_relaxed);
  wake_.notify_one();
}

void Engine::Submit(std::vector<std::shared_ptr<Request>> requests) {
  int count = static_cast<int>(requests.size());
  {
    std::lock_guard lock(mutex_);
    for (auto& r : requests)
      incoming_.push_back(std::move(r));
  }
  stat_waiting_.fetch_add(count, std::memory_order_relaxed);
  wake_.notify_one();
}

Engine::Stats Engine::GetStats() const {
  Stats s;
  s.running = stat_running_.load(std::memory_order_relaxed);
  s.waiting = stat_waiting_.load(std::memory_order_relaxed);
  s.steps = stat_steps_.load(std::memory_order_relaxed);
  s.prompt_tokens = stat_prompt_tokens_.load(std::memory_order_relaxed);
  s.generation_tokens = stat_generation_tokens_.load(std::memory_order_relaxed);
  s.finished_requests = stat_finished_.load(std::memory_order_relaxed);
  s.kv_tokens_used = stat_kv_used_.load(std::memory_order_relaxed);
  return s;
}

int64_t Engine::StepNanos(int prefill_tokens, int decoding) const {
  double us = options_.step_base_ms * 1000.0 + prefill_tokens * options_.prefill_us_per_token +
              decoding * options_.decode_us_per_seq;
  return static_cast<int64_t>(us * 1000.0);
}

int64_t Engine::Reservation(const Request& r) const {
  return static_cast<int64_t>(r.prompt_tokens) + r.output_tokens;
}

void Engine::Loop() {
  std::vector<Request*> producing;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] {
        return stop_ || !incoming_.empty() || !waiting_.empty() || !running_.empty();
      });
      if (stop_) return;
      for (auto& r : incoming_)
        waiting_.push_back(std::move(r));
      incoming_.clear();
    }
    int64_t step_start = MonotonicNanos();

    // Requests whose client went away free their slot and KV reservation.
    std::erase_if(waiting_, [&](const std::shared_ptr<Request>& r) {
      return r->cancelled.load(std::memory_order_relaxed);
    });
    std::erase_if(running_, [&](const std::shared_ptr<Request>& r) {
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

    int budget = options_.prefill_chunk;
    int prefill_tokens = 0;
    int decoding = 0;
    producing.clear();
    for (auto& r : running_) {
      if (r->prefilled < r->prompt_tokens) {
        int take = std::min(budget, r->prompt_tokens - r->prefilled);
        r->prefilled += take;
        budget -= take;
        prefill_tokens += take;
        if (r->prefilled == r->prompt_tokens) producing.push_back(r.get());
      } else {
        ++decoding;
        producing.push_back(r.get());
      }
    }
    stat_running_.store(static_cast<int>(running_.size()), std::memory_order_relaxed);
    stat_waiting_.store(static_cast<int>(waiting_.size()), std::memory_order_relaxed);
    stat_kv_used_.store(kv_used_, std::memory_order_relaxed);

    int64_t step_end = step_start + StepNanos(prefill_tokens, decoding);
    SleepUntil(step_end);

    int64_t finished = 0;
    for (Request* r : producing) {
      ++r->generated;
      bool done = r->generated >= r->output_tokens;
      if (done) ++finished;
      r->on_token(step_end, done);
    }
    if (finished > 0) {
      std::erase_if(running_, [&](const std::shared_ptr<Request>& r) {
        if (r->generated < r->output_tokens) return false;
        kv_used_ -= Reservation(*r);
        return true;
      });
    }
    stat_steps_.fetch_add(1, std::memory_order_relaxed);
    stat_prompt_tokens_.fetch_add(prefill_tokens, std::memory_order_relaxed);
    stat_generation_tokens_.fetch_add(static_cast<int64_t>(producing.size()),
                                      std::memory_order_relaxed);
    stat_finished_.fetch_add(finished, std::memory_order_relaxed);
    stat_running_.store(static_cast<int>(running_.size()), std::memory_order_relaxed);
    stat_kv_used_.store(kv_used_, std::memory_order_relaxed);
  }
}

}  // namespace servebench::sim
