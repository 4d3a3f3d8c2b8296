#include "metrics/calibration.h"

#include <cmath>

#include <fmt/format.h>

namespace servebench::metrics {

std::optional<double> PlannedEventRate(double request_rate, bool paced_open_loop,
                                       double mean_events_per_request) {
  if (!paced_open_loop || !std::isfinite(request_rate) || request_rate <= 0) return std::nullopt;
  return request_rate * mean_events_per_request;
}

void DecideCalibration(Calibration& c) {
  c.events_per_s = c.seconds > 0 ? static_cast<double>(c.token_events) / c.seconds : 0.0;
  // Half the sustained rate leaves the client room for real servers' slower, burstier replies.
  c.warning = c.planned_events_per_s && *c.planned_events_per_s > c.events_per_s / 2;
}

std::string CalibrationWarningLine(const Calibration& c) {
  return fmt::format(
      "warning: --calibrate: the planned run needs {:.0f} token events/s, more than half of the "
      "{:.0f} events/s this client sustained against an instant server (p99 send lag {:.3f} ms); "
      "its figures may measure the client",
      c.planned_events_per_s.value_or(0), c.events_per_s, c.send_lag_p99_ms);
}

}  // namespace servebench::metrics
