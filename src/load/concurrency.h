// Concurrency rules of spec/load.md §7 as plain state machines: the dispatcher feeds them
// events (a request became ready, a request ended) with their times and gets back which request
// may start and its admit time g_i. No clock, no threads: tests drive them with made-up times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

namespace servebench::load {

// A request allowed to start: its index and admit time g_i (ns from t0).
struct Admission {
  size_t index = 0;
  int64_t admit_time = 0;
};

// `--max-concurrency C`: at most C requests in flight; ready requests wait in one FIFO ordered by
// (scheduled time, index); a released slot goes to the head at g = max(s, release time).
class SlotQueue {
 public:
  explicit SlotQueue(size_t capacity);

  // Request `index` became ready at its scheduled time s. Admitted at once when a slot is free
  // and nobody earlier waits; otherwise queued.
  std::optional<Admission> Ready(size_t index, int64_t scheduled_time);
  // A request ended at `time`, freeing its slot for the head of the queue, if any.
  std::optional<Admission> Release(int64_t time);

  size_t in_flight() const { return in_flight_; }
  size_t waiting() const { return waiting_.size(); }

 private:
  struct Waiting {
    int64_t scheduled_time;
    size_t index;
    bool operator>(const Waiting& o) const {
      return scheduled_time != o.scheduled_time ? scheduled_time > o.scheduled_time
                                                : index > o.index;
    }
  };
  size_t capacity_;
  size_t in_flight_ = 0;
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> waiting_;
};

// `--concurrency N` (closed loop): N workers take requests in row order; a request's scheduled
// and admit time are the instant its worker became free (t0 = 0 for the first wave).
class ClosedLoop {
 public:
  ClosedLoop(size_t requests, size_t workers);

  // The first wave: min(workers, requests) requests, all at time 0.
  std::vector<Admission> Start();
  // A request ended at `time`: its worker takes the next unsent request, if any.
  std::optional<Admission> Release(int64_t time);

  size_t sent() const { return next_; }

 private:
  size_t requests_;
  size_t workers_;
  size_t next_ = 0;
};

}  // namespace servebench::load
