#include "client/run_driver.h"

#include <time.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/descriptors.h"
#include "load/concurrency.h"
#include "metrics/request_figures.h"

namespace servebench::client {
namespace {

int64_t RealtimeNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Connections per libcurl pool (HttpLoopOptions::connection_shards): at 256 the pool walk of
// each request's end stays a few microseconds.
constexpr size_t kConnectionsPerShard = 256;
constexpr size_t kMaxConnectionShards = 256;

// The state one phase shares between its loops and the thread that waits for it.
class Dispatcher final : public CallObserver {
 public:
  Dispatcher(const DriverOptions& options, const load::Schedule& schedule,
             std::span<metrics::RequestRecord> records, DriverProgress* progress,
             const SessionPlan* sessions)
      : options_(options),
        schedule_(schedule),
        records_(records),
        progress_(progress),
        sessions_(sessions) {}

  // A unit of the schedule (position k) is one request, or with sessions every round of the
  // session in row order[k]: calls [unit_begin_[k], unit_begin_[k + 1]).
  Status Init(std::span<const std::string> bodies) {
    // One descriptor per connection in flight, on top of those already open.
    int64_t in_flight = static_cast<int64_t>(records_.size());
    if (schedule_.kind == load::ScheduleKind::kClosedLoop) {
      in_flight = std::min(in_flight, schedule_.workers);
    } else if (schedule_.max_concurrency) {
      in_flight = std::min(in_flight, *schedule_.max_concurrency);
    }
    ReserveDescriptorTable(in_flight + 256);
    size_t threads = std::max<size_t>(options_.threads, 1);
    HttpLoopOptions http = options_.http;
    const size_t per_loop = (static_cast<size_t>(in_flight) + threads - 1) / threads;
    http.connection_shards = std::clamp<size_t>(
        (per_loop + kConnectionsPerShard - 1) / kConnectionsPerShard, 1, kMaxConnectionShards);
    for (size_t t = 0; t < threads; ++t) {
      loops_.push_back(std::make_unique<HttpLoop>(http));
      if (Status s = loops_.back()->Init(); !s) return s;
      parsers_.push_back(std::make_unique<protocol::JsonParser>());
    }
    setup_ = options_.call;
    calls_.reserve(schedule_.order.size());
    std::vector<std::string> header_lines = options_.header_lines;
    header_lines.emplace_back();
    std::vector<size_t> first_record;
    if (sessions_) {
      first_record = sessions_->FirstRecords();
      round_bodies_.resize(records_.size());
    }
    unit_begin_.reserve(schedule_.order.size() + 1);
    for (size_t k = 0; k < schedule_.order.size(); ++k) {
      size_t row = schedule_.order[k];
      size_t loop = k % loops_.size();
      size_t rounds = sessions_ ? sessions_->rounds[row] : 1;
      size_t first = sessions_ ? first_record[row] : row;
      unit_begin_.push_back(calls_.size());
      for (size_t r = 0; r < rounds; ++r) {
        size_t index = first + r;
        metrics::RequestRecord& record = records_[index];
        auto call =
            std::make_unique<RequestCall>(setup_, *loops_[loop], *parsers_[loop], record, *this);
        call->loop_index = loop;
        call->position = calls_.size();
        record.request_id = options_.request_id_prefix + std::to_string(record.index);
        header_lines.back() = "X-Request-Id: " + record.request_id;
        std::string_view body;
        if (!sessions_) {
          body = bodies[row];
        } else if (r == 0) {
          // Later rounds get their body when the previous round ends (NextRound).
          auto first_body = sessions_->bodies->Body(row, 0, {});
          if (!first_body) return std::unexpected(first_body.error());
          round_bodies_[index] = std::move(*first_body);
          body = round_bodies_[index];
        }
        if (record.routing_key.empty()) {
          call->SetRequest(options_.url, body, header_lines);
        } else {
          std::vector<std::string> keyed = header_lines;
          keyed.push_back("X-SMG-Routing-Key: " + record.routing_key);
          call->SetRequest(options_.url, body, keyed);
        }
        call_record_.push_back(index);
        call_unit_.push_back(k);
        calls_.push_back(std::move(call));
      }
    }
    unit_begin_.push_back(calls_.size());
    return Ok();
  }

  DriverResult Run(const std::atomic<bool>& stop) {
    DriverResult result;
    const size_t n = calls_.size();
    const size_t units = schedule_.order.size();
    // t0 a little ahead, so that the first sends are not late by the time posting takes
    // (about a microsecond per request, posted from this thread).
    const int64_t lead = 2'000'000 + 2'000 * static_cast<int64_t>(n);
    result.t0 = MonotonicNanos() + lead;
    result.start_unix_ns = RealtimeNanos() + lead;
    setup_.t0 = result.t0;
    t0_ = result.t0;
    if (schedule_.kind == load::ScheduleKind::kClosedLoop) {
      closed_.emplace(units, static_cast<size_t>(std::max<int64_t>(schedule_.workers, 1)));
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
        for (size_t k = 0; k < units; ++k) {
          if (auto a = slots_->Ready(k, schedule_.offsets_ns[k])) admitted.push_back(*a);
        }
      }
      for (const load::Admission& a : admitted)
        Admit(a.index, schedule_.offsets_ns[a.index], a.admit_time);
    } else {
      for (size_t k = 0; k < units; ++k)
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
      result.sent[call_record_[call->position]] = sent;
      if (!sent) ++result.not_sent;
    }
    result.rounds_dropped = static_cast<int64_t>(rounds_dropped_);
    result.not_sent -= result.rounds_dropped;
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
    const size_t i = call.position;
    const size_t unit_end = unit_begin_[call_unit_[i] + 1];
    // A session goes on with its next round unless this one failed or the run is stopping.
    bool next_round = false;
    bool stopping = false;
    if (i + 1 < unit_end) {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (i + 1 < unit_end && !stopping && call.sent() && call.record().ok()) {
      next_round = PostNextRound(i, end_ns);
    }

    std::optional<load::Admission> next;
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      ++ended_;
      // The rounds a session will never send (a failed round, a stop) end with it, unsent.
      if (!next_round) {
        ended_ += unit_end - i - 1;
        if (!stopping && call.sent()) rounds_dropped_ += unit_end - i - 1;
      }
      if (call.sent()) ++ended_sent_;
      if (call.sent() && progress_) {
        progress_->in_flight.fetch_sub(1, std::memory_order_relaxed);
        progress_->ended.fetch_add(1, std::memory_order_relaxed);
        if (!call.record().ok()) progress_->failed.fetch_add(1, std::memory_order_relaxed);
        progress_->output_tokens.fetch_add(metrics::OutputTokens(call.record(), {}),
                                           std::memory_order_relaxed);
      }
      // The slot (or worker) is held until the unit's last request has ended.
      if (!stopping_ && !next_round) {
        if (closed_) {
          next = closed_->Release(end_ns - t0_);
        } else if (slots_) {
          next = slots_->Release(end_ns - t0_);
        }
      }
      // Wake the waiting thread only when it has something to do: a notify per request would
      // let it preempt this loop's thread 800 times a second for nothing (measured: off-CPU
      // stalls of 1-15 ms in the loop under bench_client_accuracy).
      wake = ended_ == calls_.size() || (stopping_ && ended_sent_ == started_);
    }
    if (wake) cv_.notify_all();
    if (!next) return;
    int64_t scheduled = closed_ ? next->admit_time : schedule_.offsets_ns[next->index];
    Admit(next->index, scheduled, next->admit_time);
  }

 private:
  // Posts the first request of schedule unit k to its loop, to start at t0 + admit.
  void Admit(size_t k, int64_t scheduled, int64_t admit) {
    RequestCall& call = *calls_[unit_begin_[k]];
    call.record().scheduled_time = scheduled;
    call.record().admit_time = admit;
    loops_[call.loop_index]->Post(&call, t0_ + admit);
  }

  // On the loop thread of call i, which ended at end_ns: builds the body of the session's next
  // round from the replies of its rounds so far and posts it for end + turn gap. The round holds
  // the session's slot, so its scheduled and admit times are equal. False: the body could not be
  // built; that round records why and the session ends.
  bool PostNextRound(size_t i, int64_t end_ns) {
    const size_t k = call_unit_[i];
    const size_t begin = unit_begin_[k];
    std::vector<std::string_view> replies;
    replies.reserve(i + 1 - begin);
    for (size_t j = begin; j <= i; ++j) {
      const metrics::RequestRecord& done = calls_[j]->record();
      replies.push_back(std::string_view(done.generated_text).substr(done.reasoning_bytes));
    }
    RequestCall& next = *calls_[i + 1];
    const size_t round = i + 1 - begin;
    auto body = sessions_->bodies->Body(schedule_.order[k], round, replies);
    const int64_t ready = end_ns - t0_ + sessions_->turn_gap_ns;
    next.record().scheduled_time = ready;
    next.record().admit_time = ready;
    if (!body) {
      next.record().Fail(metrics::RequestStatus::kCancelled, ready,
                         "round body not built: " + body.error().message);
      return false;
    }
    std::string& stored = round_bodies_[call_record_[i + 1]];
    stored = std::move(*body);
    next.request_body = stored;
    next.record().bytes_sent = static_cast<int64_t>(stored.size());
    loops_[next.loop_index]->Post(&next, t0_ + ready);
    return true;
  }

  const DriverOptions& options_;
  const load::Schedule& schedule_;
  std::span<metrics::RequestRecord> records_;
  DriverProgress* progress_;
  const SessionPlan* sessions_;
  CallSetup setup_;
  int64_t t0_ = 0;
  std::vector<std::unique_ptr<HttpLoop>> loops_;
  std::vector<std::unique_ptr<protocol::JsonParser>> parsers_;
  std::vector<std::unique_ptr<RequestCall>> calls_;
  std::vector<size_t> call_record_;  // record index of each call
  std::vector<size_t> call_unit_;    // schedule position of each call
  std::vector<size_t> unit_begin_;   // first call of each schedule position, then calls_.size()
  // Session bodies, one per record, each written once on the thread that owns its session.
  std::vector<std::string> round_bodies_;

  std::mutex mutex_;
  std::condition_variable cv_;
  size_t ended_ = 0;           // guarded by mutex_
  size_t started_ = 0;         // guarded by mutex_
  size_t ended_sent_ = 0;      // guarded by mutex_
  size_t rounds_dropped_ = 0;  // guarded by mutex_
  bool stopping_ = false;
  std::optional<load::SlotQueue> slots_;
  std::optional<load::ClosedLoop> closed_;
};

}  // namespace

Expected<DriverResult> RunPhase(const DriverOptions& options, const load::Schedule& schedule,
                                std::span<const std::string> bodies,
                                std::span<metrics::RequestRecord> records,
                                const std::atomic<bool>& stop, DriverProgress* progress,
                                const SessionPlan* sessions) {
  if (sessions) {
    if (sessions->bodies == nullptr || sessions->rounds.size() < schedule.order.size() ||
        sessions->TotalRecords() != records.size()) {
      return MakeError("internal: the session plan does not match the {} records", records.size());
    }
    for (size_t rounds : sessions->rounds) {
      if (rounds == 0) return MakeError("internal: a session without rounds");
    }
  } else if (bodies.size() != records.size()) {
    return MakeError("internal: {} bodies for {} records", bodies.size(), records.size());
  }
  if ((!sessions && schedule.order.size() > records.size()) ||
      (schedule.kind == load::ScheduleKind::kOpenLoop &&
       schedule.offsets_ns.size() != schedule.order.size())) {
    return MakeError("internal: schedule does not match the {} records", records.size());
  }
  Dispatcher dispatcher(options, schedule, records, progress, sessions);
  if (Status s = dispatcher.Init(bodies); !s) return std::unexpected(s.error());
  return dispatcher.Run(stop);
}

}  // namespace servebench::client
