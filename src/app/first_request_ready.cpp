#include "app/first_request_ready.h"

#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/clock.h"

namespace servebench::app {

bool ReadyByFirstRequest(const RunFlags& f, const Prepared& p) {
  return p.compat == metrics::Compat::kVllm && f.ready_check_timeout_s > 0;
}

RunExpected<void> WaitReadyByFirstRequest(const RunFlags& f, const RunPlan& plan,
                                          const std::atomic<bool>& stop) {
  const PhaseWork& work = plan.measured;
  // Multi-turn plans build their bodies round by round: their first request is the warmup's.
  const PhaseWork& source = work.sessions == nullptr ? work : plan.warmup;
  if (source.bodies.empty() || source.records.empty()) return {};
  const size_t first = source.schedule.order.empty() ? 0 : source.schedule.order.front();
  std::vector<std::string> bodies = {source.bodies.at(first)};
  auto schedule = load::BuildSchedule(1, load::LoadOptions{}, f.seed);
  if (!schedule) return FailWith(kExitBadInput, schedule.error().message);
  client::DriverOptions driver = plan.driver;
  driver.request_id_prefix += "ready-";

  const int64_t deadline = MonotonicNanos() + static_cast<int64_t>(f.ready_check_timeout_s * 1e9);
  std::string last;
  for (;;) {
    const int64_t attempt = MonotonicNanos();
    std::vector<metrics::RequestRecord> records = {source.records.at(first)};
    records[0].index = 0;
    auto phase = client::RunPhase(driver, *schedule, bodies, records, stop);
    if (stop.load()) return FailWith(kExitInterrupted, "interrupted while waiting for the server");
    if (!phase) {
      last = phase.error().message;
    } else if (phase->sent[0] && records[0].status == metrics::RequestStatus::kOk) {
      return {};
    } else {
      last = fmt::format("{}: {}", metrics::StatusName(records[0].status), records[0].error);
    }
    const int64_t next = attempt + 5'000'000'000;
    if (next >= deadline) break;
    while (MonotonicNanos() < next && !stop.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return FailWith(kExitNotReady,
                  fmt::format("server not ready at {} after {} s (--ready-check-timeout-sec, "
                              "--compat vllm sends the first request): {}",
                              driver.url, f.ready_check_timeout_s, last));
}

}  // namespace servebench::app
