#include "app/run_calibration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "common/clock.h"
#include "metrics/statistics.h"
#include "sim/server.h"

namespace servebench::app {
namespace {

// The serve-sim family whose replies the backend's reader expects (protocols.md §9.1).
sim::Family SimFamilyFor(const protocol::BackendInfo& backend) {
  std::string_view name = backend.name;
  if (name.starts_with("vllm") || name == "truss") return sim::Family::kVllm;
  if (name.starts_with("lmdeploy")) return sim::Family::kLmdeploy;
  if (name == "tgi") return sim::Family::kTgi;
  if (name.starts_with("openai")) return sim::Family::kOpenai;
  return sim::Family::kSglang;  // sglang*, and trt (its routes do not depend on the family)
}

// The schedule at `rate`, cut to the requests due within `seconds` of t0.
load::Schedule ReplaySchedule(const Prepared& p, const RunPlan& plan, double rate, double seconds) {
  load::Schedule s = !(rate == p.load.request_rate)
                         ? load::RescaleSchedule(plan.measured.schedule, p.load, rate)
                         : plan.measured.schedule;
  if (s.kind == load::ScheduleKind::kOpenLoop) {
    const int64_t limit_ns = static_cast<int64_t>(seconds * 1e9);
    size_t keep = 0;
    while (keep < s.offsets_ns.size() && s.offsets_ns[keep] < limit_ns)
      ++keep;
    keep = std::max<size_t>(keep, 1);
    s.order.resize(std::min(keep, s.order.size()));
    s.offsets_ns.resize(std::min(keep, s.offsets_ns.size()));
  }
  return s;
}

constexpr double kUnpaced = std::numeric_limits<double>::infinity();

struct ReplayFigures {
  int64_t requests = 0;
  int64_t token_events = 0;
  double seconds = 0;  // first send to last end
  double send_lag_p99_ms = 0;
};

// One replay of `schedule` against the in-process server; it ends by itself, at `seconds` (a
// closed loop never runs dry) or on Ctrl-C.
RunExpected<ReplayFigures> Replay(const client::DriverOptions& driver,
                                  const load::Schedule& schedule, const RunPlan& plan,
                                  double seconds, const std::atomic<bool>& stop) {
  std::vector<metrics::RequestRecord> records = plan.measured.records;
  std::atomic<bool> replay_stop{false};
  std::atomic<bool> replay_done{false};
  std::thread watch([&] {
    const int64_t deadline = MonotonicNanos() + static_cast<int64_t>(seconds * 1e9);
    while (!replay_done.load() && !stop.load() && MonotonicNanos() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    replay_stop = true;
  });
  auto phase = client::RunPhase(driver, schedule, plan.measured.bodies, records, replay_stop,
                                nullptr, plan.measured.sessions);
  replay_done = true;
  watch.join();
  if (!phase) return FailWith(kExitNotReady, "--calibrate: " + phase.error().message);
  if (stop.load()) return FailWith(kExitInterrupted, "interrupted during --calibrate");

  ReplayFigures out;
  std::vector<double> lags_ms;
  int64_t first_send = std::numeric_limits<int64_t>::max();
  int64_t last_end = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < records.size(); ++i) {
    if (!phase->sent[i]) continue;
    const metrics::RequestRecord& r = records[i];
    ++out.requests;
    out.token_events += static_cast<int64_t>(r.event_times.size());
    lags_ms.push_back(static_cast<double>(r.send_time - r.admit_time) / 1e6);
    first_send = std::min(first_send, r.send_time);
    if (r.end_time) last_end = std::max(last_end, *r.end_time);
  }
  if (out.requests > 0 && last_end > first_send) {
    out.seconds = static_cast<double>(last_end - first_send) / 1e9;
  }
  std::sort(lags_ms.begin(), lags_ms.end());
  out.send_lag_p99_ms = metrics::Percentile(lags_ms, 99);
  return out;
}

}  // namespace

RunExpected<metrics::Calibration> Calibrate(const RunFlags& f, const Prepared& p,
                                            const RunPlan& plan, double rate,
                                            const std::atomic<bool>& stop) {
  sim::SimOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  options.instant = true;
  options.family = SimFamilyFor(*p.target.backend);
  options.model_name = p.model;
  options.lora_modules = f.lora_names;
  sim::Server server(options);
  if (Status s = server.Start(); !s) {
    return FailWith(kExitNotReady, "--calibrate: cannot start serve-sim: " + s.error().message);
  }

  client::DriverOptions driver = plan.driver;
  driver.url = fmt::format("http://127.0.0.1:{}{}", server.port(), p.target.endpoint);
  driver.request_id_prefix += "calibrate-";
  driver.drain_timeout_ns = 500'000'000;

  // Replaying the schedule as planned shows whether sends keep to it (send lag), but a client
  // that keeps up reads exactly the planned event rate. Its capacity comes from a second replay
  // with every request released at once. A schedule that sets no pace of its own (infinite rate,
  // closed loop, trace timing) is replayed once for both.
  const load::Schedule& planned = plan.measured.schedule;
  const bool paced =
      planned.kind == load::ScheduleKind::kOpenLoop && !p.load.trace_timing && std::isfinite(rate);
  const double part_s = paced ? f.calibrate_seconds / 2 : f.calibrate_seconds;
  auto at_rate = Replay(driver, ReplaySchedule(p, plan, rate, part_s), plan, part_s, stop);
  if (!at_rate) return std::unexpected(at_rate.error());
  ReplayFigures capacity = *at_rate;
  if (paced) {
    auto unpaced = Replay(driver, ReplaySchedule(p, plan, kUnpaced, part_s), plan, part_s, stop);
    if (!unpaced) return std::unexpected(unpaced.error());
    capacity = *unpaced;
  }
  server.Stop();

  metrics::Calibration c;
  c.send_lag_p99_ms = at_rate->send_lag_p99_ms;
  c.requests = capacity.requests;
  c.token_events = capacity.token_events;
  c.seconds = capacity.seconds;

  double mean_events = 1;  // a non-streamed reply is one event
  if (!f.disable_stream && !plan.measured.records.empty()) {
    double total = 0;
    for (const metrics::RequestRecord& r : plan.measured.records)
      total += static_cast<double>(r.output_tokens_requested);
    mean_events = total / static_cast<double>(plan.measured.records.size());
  }
  c.planned_events_per_s = metrics::PlannedEventRate(rate, paced, mean_events);
  metrics::DecideCalibration(c);
  return c;
}

}  // namespace servebench::app
