// The figures of a run (spec/metrics.md): a pure function of the per-request records and the
// run's settings, computed once after the measured phase. Latencies are in ms, durations in s.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "metrics/goodput.h"
#include "metrics/request_figures.h"
#include "metrics/statistics.h"
#include "metrics/token_count_check.h"

namespace servebench::metrics {

struct RunSettings {
  MeasurementRules rules;
  std::vector<double> percentiles = DefaultPercentiles();  // --metric-percentiles
  GoodputConfig goodput;                                   // --goodput
  double max_send_lag_ms = 1.0;                            // --max-send-lag-ms
  bool interrupted = false;
  // A finite --request-rate open loop (not closed loop, not trace timing): rates are reported.
  bool finite_rate_open_loop = false;
  bool max_concurrency_set = false;  // --max-concurrency given
  int64_t not_sent = 0;              // requests never sent (interruption)
  int64_t rounds_dropped = 0;        // session rounds never sent: an earlier round failed
  bool cache_report = false;         // --cache-report
  // Client facts measured outside the records (beyond.md 3); absent when not measured.
  int64_t client_threads = 0;
  std::optional<double> client_cpu_seconds;
  bool kernel_timestamps = false;  // --kernel-timestamps: socket waits were recorded
};

// The client's own cost (spec/beyond.md 3). A figure that was not measured is absent.
struct ClientOverhead {
  double send_lag_mean_ms = 0;
  double send_lag_p99_ms = 0;
  std::optional<double> recv_to_parsed_mean_ms;  // over requests that received events
  std::optional<double> recv_to_parsed_p99_ms;
  std::optional<double> parse_ns_per_event;
  std::optional<double> events_per_s_per_thread;
  std::optional<double> bytes_per_s_per_thread;
  std::optional<double> cpu_seconds_per_s;
  // Token events carry the kernel's receive time (--kernel-timestamps), not the user-space one.
  bool kernel_read_stamps = false;
  int64_t client_threads = 0;  // the client's event loops (--client-threads); 0: not known
  // --kernel-timestamps: over every recorded token event, how long its bytes waited in the
  // socket before the client read them (ms).
  struct SocketWait {
    double mean = 0, median = 0, p99 = 0, max = 0;
  };
  std::optional<SocketWait> socket_wait;
};

// Prefix-cache hits over the successful requests (metrics.md §10, --cache-report).
struct CacheReport {
  int64_t total_prompt_tokens = 0;  // Σ P_i
  int64_t total_cached_tokens = 0;
  double cache_hit_rate_pct = 0;
  // The device/host/storage split, when any request carried it.
  std::optional<int64_t> device_cached_tokens;
  std::optional<int64_t> host_cached_tokens;
  std::optional<int64_t> storage_cached_tokens;
  std::optional<std::string> storage_backend;
};

struct RunMetrics {
  double duration_s = 0;  // D: the last end instant of any sent request
  int64_t completed = 0;  // |S|
  int64_t failed = 0;     // |F|
  int64_t completed_without_tokens = 0;
  int64_t not_sent = 0;
  int64_t rounds_dropped = 0;
  std::vector<std::pair<RequestStatus, int64_t>> failures_by_reason;  // non-zero, enum order

  int64_t total_input_tokens = 0;
  int64_t total_input_text_tokens = 0;
  int64_t total_input_vision_tokens = 0;
  int64_t total_output_tokens = 0;
  int64_t total_output_tokens_retokenized = 0;

  double request_throughput = 0;
  double input_throughput = 0;
  double output_throughput = 0;
  double total_throughput = 0;
  double concurrency = 0;  // Σ E2E / D
  double rpm = 0;

  // Latency statistics in ms; `count` of each is its sample size.
  Summary e2e, ttft, tpot, itl, itl_per_token, sched_ttft, sched_e2e;
  // Client-side: over every sent request, percentiles {50, 99}.
  Summary send_lag, slot_wait;

  std::optional<double> max_output_tokens_per_s;  // absent in --compat lmdeploy
  std::optional<int64_t> max_concurrent_requests;

  std::optional<double> request_goodput;   // with --goodput
  std::optional<double> goodput_fraction;  // good / sent

  std::optional<double> scheduled_request_rate;  // finite-rate open loop
  std::optional<double> achieved_request_rate;

  std::optional<CacheReport> cache_report;  // with --cache-report
  TokenCountCheck token_count_check;
  ClientOverhead client_overhead;
  int64_t event_token_source[3] = {0, 0, 0};  // indexed by EventTokenSource, successful only

  bool run_valid = true;
  std::vector<std::string> validity_issues;
};

RunMetrics Aggregate(std::span<const RequestRecord> records, const RunSettings& settings);

struct WarmupSummary {
  int64_t sent = 0;
  int64_t succeeded = 0;
  double mean_ttft_ms = 0;
  double mean_e2e_latency_ms = 0;
};

WarmupSummary SummarizeWarmup(std::span<const RequestRecord> warmup, const MeasurementRules& rules);

}  // namespace servebench::metrics
