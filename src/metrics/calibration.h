// The client calibration of `--calibrate` (spec/beyond.md 2): what the client sustained against
// an instant in-process serve-sim, what the planned run will ask of it, and whether to warn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace servebench::metrics {

struct Calibration {
  double seconds = 0;                          // first send to last end of the replay
  int64_t requests = 0;                        // requests sent in the replay
  int64_t token_events = 0;                    // token events the client read
  double send_lag_p99_ms = 0;                  // the client's own p99 send lag
  double events_per_s = 0;                     // token_events / seconds
  std::optional<double> planned_events_per_s;  // absent when the plan sets no pace
  bool warning = false;                        // planned > half of events_per_s
};

// The token-event rate the planned run needs: request rate × mean token events per request. A
// closed loop, an infinite rate or trace timing sets no pace of its own, so there is none.
std::optional<double> PlannedEventRate(double request_rate, bool paced_open_loop,
                                       double mean_events_per_request);

// Fills events_per_s and warning from the other fields.
void DecideCalibration(Calibration& c);

// The one warning line naming both rates.
std::string CalibrationWarningLine(const Calibration& c);

}  // namespace servebench::metrics
