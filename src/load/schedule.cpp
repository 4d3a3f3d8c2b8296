#include "load/schedule.h"

#include <cmath>
#include <numeric>

namespace servebench::load {

namespace {

bool FiniteRate(double rate) {
  return std::isfinite(rate);
}

void FillRowOrder(Schedule& schedule, size_t requests) {
  schedule.order.resize(requests);
  std::iota(schedule.order.begin(), schedule.order.end(), size_t{0});
}

}  // namespace

Status ValidateLoadOptions(const LoadOptions& o) {
  if (!(o.request_rate > 0)) {
    return MakeError("--request-rate: expected a number > 0 or inf, got {}", o.request_rate);
  }
  if (!(o.burstiness > 0)) {
    return MakeError("--burstiness: expected a number > 0 or inf, got {}", o.burstiness);
  }
  if (o.max_concurrency && *o.max_concurrency < 1) {
    return MakeError("--max-concurrency: expected an integer >= 1, got {}", *o.max_concurrency);
  }
  if (o.concurrency) {
    if (*o.concurrency < 1) {
      return MakeError("--concurrency: expected an integer >= 1, got {}", *o.concurrency);
    }
    if (FiniteRate(o.request_rate)) {
      return MakeError("--concurrency cannot be combined with a finite --request-rate");
    }
    if (o.ramp_up) return MakeError("--concurrency cannot be combined with --ramp-up-strategy");
    if (o.trace_timing) return MakeError("--concurrency cannot be combined with trace timing");
    if (o.max_concurrency) {
      return MakeError("--concurrency cannot be combined with --max-concurrency");
    }
  }
  if (o.ramp_up) {
    if (FiniteRate(o.request_rate)) {
      return MakeError("--ramp-up-strategy: --request-rate must be left at inf");
    }
    if (o.trace_timing) return MakeError("--ramp-up-strategy cannot be combined with trace timing");
  }
  if (o.trace_timing && !(o.trace_slowdown > 0 && std::isfinite(o.trace_slowdown))) {
    return MakeError("--mooncake-slowdown-factor: expected a finite number > 0, got {}",
                     o.trace_slowdown);
  }
  return Ok();
}

Expected<Schedule> BuildSchedule(size_t requests, const LoadOptions& o, uint64_t seed,
                                 std::span<const double> trace_timestamps_ms) {
  if (auto s = ValidateLoadOptions(o); !s) return std::unexpected(s.error());
  Schedule schedule;
  schedule.max_concurrency = o.max_concurrency;
  if (o.concurrency) {
    schedule.kind = ScheduleKind::kClosedLoop;
    schedule.workers = *o.concurrency;
    FillRowOrder(schedule, requests);
    return schedule;
  }
  if (o.trace_timing) {
    if (trace_timestamps_ms.size() != requests) {
      return MakeError("trace timing: {} rows but {} timestamps", requests,
                       trace_timestamps_ms.size());
    }
    auto trace = TraceTimedSchedule(trace_timestamps_ms, o.trace_slowdown);
    if (!trace) return std::unexpected(trace.error());
    schedule.order = std::move(trace->order);
    schedule.offsets_ns = std::move(trace->offsets_ns);
    return schedule;
  }
  FillRowOrder(schedule, requests);
  // Gaps are drawn even for rate inf, so a sweep that starts at inf rescales the same draws.
  RandomStream arrivals(seed, kArrivalsStream);
  auto gaps = DrawUnitGaps(requests, o.burstiness, arrivals);
  if (!gaps) return std::unexpected(gaps.error());
  schedule.unit_gaps = std::move(*gaps);
  if (!o.ramp_up && !FiniteRate(o.request_rate)) {
    schedule.offsets_ns.assign(requests, 0);
    return schedule;
  }
  if (o.ramp_up) {
    auto ramp = RampUpSchedule(schedule.unit_gaps, requests, *o.ramp_up, o.first_arrival);
    if (!ramp) return std::unexpected(ramp.error());
    schedule.offsets_ns = std::move(ramp->offsets_ns);
    schedule.rps_changes = std::move(ramp->rps_changes);
    return schedule;
  }
  schedule.offsets_ns = ScheduleFromUnitGaps(schedule.unit_gaps, requests, o.request_rate,
                                             o.first_arrival, o.schedule_normalize);
  return schedule;
}

Schedule RescaleSchedule(const Schedule& schedule, const LoadOptions& o, double rate) {
  Schedule out = schedule;
  size_t n = schedule.order.size();
  if (!FiniteRate(rate)) {
    out.offsets_ns.assign(n, 0);
  } else if (out.unit_gaps.size() >= n) {
    out.offsets_ns =
        ScheduleFromUnitGaps(out.unit_gaps, n, rate, o.first_arrival, o.schedule_normalize);
  }
  return out;
}

}  // namespace servebench::load
