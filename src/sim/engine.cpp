#include "sim/engine.h"

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

Engine::Engine(const EngineOptions& options) : core_(options), thread_([this] { Loop(); }) {}

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

void Engine::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !incoming_.empty() || !core_.Idle(); });
      if (stop_) return;
      for (auto& r : incoming_)
        core_.Enqueue(std::move(r));
      incoming_.clear();
    }
    int64_t step_start = MonotonicNanos();
    EngineCore::Step step = core_.Begin();
    stat_running_.store(core_.running(), std::memory_order_relaxed);
    stat_waiting_.store(core_.waiting(), std::memory_order_relaxed);
    stat_kv_used_.store(core_.kv_used(), std::memory_order_relaxed);

    int64_t step_end = step_start + step.nanos;
    SleepUntil(step_end);
    int64_t finished = core_.Finish(step_end);

    stat_steps_.fetch_add(1, std::memory_order_relaxed);
    stat_prompt_tokens_.fetch_add(step.prefill_tokens, std::memory_order_relaxed);
    stat_generation_tokens_.fetch_add(step.producing, std::memory_order_relaxed);
    stat_finished_.fetch_add(finished, std::memory_order_relaxed);
    stat_running_.store(core_.running(), std::memory_order_relaxed);
    stat_kv_used_.store(core_.kv_used(), std::memory_order_relaxed);
  }
}

}  // namespace servebench::sim
