#include "client/run_driver.h"

#include <time.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "load/concurrency.h"

namespace servebench::client {
namespace {

int64_t RealtimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The state one phase shares between its loops and the thread that waits for it.
class Dispatcher final : public CallObserver {
 public:
  Dispatcher(const DriverOptions& options, const load::Schedule& schedule,
             std::span<metrics::RequestRecord> records, DriverProgress* progress)
      : options_(options), schedule_(schedule), records_(records), progress_(progress) {}

  Status Init(std::span<const std::string> bodies) {
    size_t threads = std::max<size_t>(options_.threads, 1);
    for (size_t t = 0; t < threads; ++t) {
      loops_.push_back(std::make_unique<HttpLoop>(options_.http));
      if (Status s = loops_.back()->Init(); !s) return s;
      parsers_.push_back(std::make_unique<protocol::JsonParser>());
    }
    setup_ = options_.call;
    calls_.reserve(schedule_.order.size());
    std::vector<std::string> header_lines = options_.header_lines;
    header_lines.emplace_back();
    for (size_t k = 0; k < schedule_.order.size(); ++k) {
      size_t row = schedule_.order[k];
      size_t loop = k % loops_.size();
      auto call = std::make_unique<RequestCall>(setup_, *loops_[loop], *parsers_[loop],
                                                records_[row], *this);
      call->loop_index = loop;
      call->position = k;
      metrics::RequestRecord& record = records_[row];
      record.request_id = options_.request_id_prefix + std::to_string(record.index);
      header_lines.back() = "X-Request-Id: " + record.request_id;
      call->SetRequest(options_.url, bodies[row], header_lines);
      calls_.push_back(std::move(call));
    }
    return Ok();
  }

  DriverResult Run(const std::atomic<bool>& stop) {
    DriverResult result;
    const size_t n = calls_.size();
    // t0 a little ahead, so that the first sends are not late by the time posting takes
    // (about a microsecond per request, posted from this thread).
    const int64_t lead = 2'000'000 + 2'000 * static_cast<int64_t>(n);
    result.t0 = MonotonicNanos() + lead;
    result.start_unix_ns = RealtimeNanos() + lead;
    setup_.t0 = result.t0;
    t0_ = result.t0;
    if (schedule_.kind == load::ScheduleKind::kClosedLoop) {
      closed_.emplace(n, static_cast<size_t>(std::max<int64_t>(schedule_.workers, 1)));
      std::vector<load::Admission> wave;
      {
        std::lock_guard lock(mutex_);
        wave = closed_->Start();
      }
      for (const load::Admission& a : wave)
        Admit(a.index, a.admit_time, a.admit_time);
    } else if (schedule_.max_concurrency) {
      slots_.emplace(static_cast<size_t>(*schedule_.max_concurrency));
      std::vector<load::Admission> admitted;
      {
        std::lock_guard lock(mutex_);
        for (size_t k = 0; k < n; ++k) {
          if (auto a = slots_->Ready(k, schedule_.offsets_ns[k])) admitted.push_back(*a);
        }
      }
      for (const load::Admission& a : admitted)
        Admit(a.index, schedule_.offsets_ns[a.index], a.admit_time);
    } else {
      for (size_t k = 0; k < n; ++k)
        Admit(k, schedule_.offsets_ns[k], schedule_.offsets_ns[k]);
    }

    // The loops start after the first admissions are posted, so posting never contends with
    // them; each drains its inbox on its first turn.
    std::vector<std::thread> threads;
    for (auto& loop : loops_)
      threads.emplace_back([&loop] { loop->Run(); });

    // Wait for every request to end, or for a stop.
    {
      std::unique_lock lock(mutex_);
      while (ended_ < n && !stop.load(std::memory_order_relaxed)) {
        cv_.wait_for(lock, std::chrono::milliseconds(20));
      }
      if (ended_ < n) {
        result.interrupted = true;
        stopping_ = true;
        // Drain: the requests in flight get drain_timeout_ns to end by themselves.
        auto deadline =
            std::chrono::steady_clock::now() + std::chrono::nanoseconds(options_.drain_timeout_ns);
        while (ended_sent_ < started_ && std::chrono::steady_clock::now() < deadline) {
          cv_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() +
                                                      std::chrono::milliseconds(20)));
        }
      }
    }
    for (auto& loop : loops_)
      loop->RequestStop();
    for (std::thread& t : threads)
      t.join();

    result.sent.assign(records_.size(), false);
    for (const auto& call : calls_) {
      call->CountEventTokens();
      bool sent = call->sent();
      result.sent[schedule_.order[call->position]] = sent;
      if (!sent) ++result.not_sent;
    }
    return result;
  }

  bool MaySend(RequestCall&) override {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    ++started_;
    if (progress_) progress_->in_flight.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  void OnCallEnd(RequestCall& call, int64_t end_ns) override {
    std::optional<load::Admission> next;
    {
      std::lock_guard lock(mutex_);
      ++ended_;
      if (call.sent()) ++ended_sent_;
      if (call.sent() && progress_) {
        progress_->in_flight.fetch_sub(1, std::memory_order_relaxed);
        progress_->ended.fetch_add(1, std::memory_order_relaxed);
        if (!call.record().ok()) progress_->failed.fetch_add(1, std::memory_order_relaxed);
        progress_->output_events.fetch_add(static_cast<int64_t>(call.record().token_events()),
                                           std::memory_order_relaxed);
      }
      if (!stopping_) {
        if (closed_) {
          next = closed_->Release(end_ns - t0_);
        } else if (slots_) {
          next = slots_->Release(end_ns - t0_);
        }
      }
    }
    cv_.notify_all();
    if (!next) return;
    int64_t scheduled = closed_ ? next->admit_time : schedule_.offsets_ns[next->index];
    Admit(next->index, scheduled, next->admit_time);
  }

 private:
  // Posts the request at schedule position k to its loop, to start at t0 + admit.
  void Admit(size_t k, int64_t scheduled, int64_t admit) {
    RequestCall& call = *calls_[k];
    call.record().scheduled_time = scheduled;
    call.record().admit_time = admit;
    loops_[call.loop_index]->Post(&call, t0_ + admit);
  }

  const DriverOptions& options_;
  const load::Schedule& schedule_;
  std::span<metrics::RequestRecord> records_;
  DriverProgress* progress_;
  CallSetup setup_;
  int64_t t0_ = 0;
  std::vector<std::unique_ptr<HttpLoop>> loops_;
  std::vector<std::unique_ptr<protocol::JsonParser>> parsers_;
  std::vector<std::unique_ptr<RequestCall>> calls_;

  std::mutex mutex_;
  std::condition_variable cv_;
  size_t ended_ = 0;       // guarded by mutex_
  size_t started_ = 0;     // guarded by mutex_
  size_t ended_sent_ = 0;  // guarded by mutex_
  bool stopping_ = false;
  std::optional<load::SlotQueue> slots_;
  std::optional<load::ClosedLoop> closed_;
};

}  // namespace

Expected<DriverResult> RunPhase(const DriverOptions& options, const load::Schedule& schedule,
                                std::span<const std::string> bodies,
                                std::span<metrics::RequestRecord> records,
                                const std::atomic<bool>& stop, DriverProgress* progress) {
  if (bodies.size() != records.size()) {
    return MakeError("internal: {} bodies for {} records", bodies.size(), records.size());
  }
  if (schedule.order.size() > records.size() ||
      (schedule.kind == load::ScheduleKind::kOpenLoop &&
       schedule.offsets_ns.size() != schedule.order.size())) {
    return MakeError("internal: schedule does not match the {} records", records.size());
  }
  Dispatcher dispatcher(options, schedule, records, progress);
  if (Status s = dispatcher.Init(bodies); !s) return std::unexpected(s.error());
  return dispatcher.Run(stop);
}

}  // namespace servebench::client
