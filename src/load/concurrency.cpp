#include "load/concurrency.h"

#include <algorithm>

namespace servebench::load {

SlotQueue::SlotQueue(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

std::optional<Admission> SlotQueue::Ready(size_t index, int64_t scheduled_time) {
  if (in_flight_ < capacity_ && waiting_.empty()) {
    ++in_flight_;
    return Admission{index, scheduled_time};
  }
  waiting_.push(Waiting{scheduled_time, index});
  return std::nullopt;
}

std::optional<Admission> SlotQueue::Release(int64_t time) {
  if (in_flight_ > 0) --in_flight_;
  if (waiting_.empty()) return std::nullopt;
  Waiting head = waiting_.top();
  waiting_.pop();
  ++in_flight_;
  return Admission{head.index, std::max(head.scheduled_time, time)};
}

ClosedLoop::ClosedLoop(size_t requests, size_t workers)
    : requests_(requests), workers_(std::max<size_t>(workers, 1)) {}

std::vector<Admission> ClosedLoop::Start() {
  std::vector<Admission> wave;
  while (next_ < requests_ && wave.size() < workers_)
    wave.push_back(Admission{next_++, 0});
  return wave;
}

std::optional<Admission> ClosedLoop::Release(int64_t time) {
  if (next_ >= requests_) return std::nullopt;
  return Admission{next_++, time};
}

}  // namespace servebench::load
