// A fixed RunInfo and RunMetrics with round numbers for the golden tests of report/.
#pragma once

#include "metrics/aggregate.h"
#include "report/run_info.h"

namespace servebench::report::testing {

inline metrics::Summary Stats(double mean, double median, double std, double min, double max,
                              std::vector<std::pair<double, double>> percentiles, size_t count) {
  metrics::Summary s;
  s.count = count;
  s.mean = mean;
  s.median = median;
  s.std = std;
  s.min = min;
  s.max = max;
  s.percentiles = std::move(percentiles);
  return s;
}

inline RunInfo FixtureInfo() {
  RunInfo info;
  info.backend = "vllm";
  info.dataset_name = "random";
  info.request_rate = 4.0;
  info.random_input_len = 100;
  info.random_output_len = 30;
  info.servebench_version = "0.1.0";
  info.date = "2026-01-02T03:04:05+00:00";
  info.start_unix_ns = 1767323045000000000;
  info.command_line = {"servebench", "run", "--request-rate", "4"};
  info.seed = 42;
  info.model_id = "m";
  info.tokenizer_id = "t";
  info.base_url = "http://127.0.0.1:8000";
  info.endpoint = "/v1/completions";
  info.num_prompts = 5;
  info.warmup = {1, 1, 12.5, 40.0};
  return info;
}

inline metrics::RunMetrics FixtureMetrics() {
  metrics::RunMetrics m;
  m.duration_s = 2.5;
  m.completed = 4;
  m.failed = 1;
  m.failures_by_reason = {{metrics::RequestStatus::kTruncated, 1}};
  m.completed_without_tokens = 0;
  m.total_input_tokens = 200;
  m.total_input_text_tokens = 200;
  m.total_output_tokens = 120;
  m.total_output_tokens_retokenized = 118;
  m.request_throughput = 1.6;
  m.input_throughput = 80;
  m.output_throughput = 48;
  m.total_throughput = 128;
  m.concurrency = 1.25;
  m.rpm = 96;
  std::vector<std::pair<double, double>> none;
  m.e2e = Stats(500, 450, 100, 300, 800, {{90, 700}, {95, 750}, {99, 790}}, 4);
  m.ttft = Stats(50, 45, 10, 20, 80, {{90, 70}, {95, 75}, {99, 79}}, 4);
  m.tpot = Stats(15.5, 15, 1.25, 12, 19, {{90, 18}, {95, 18.5}, {99, 18.9}}, 4);
  m.itl = Stats(15.25, 14, 3, 1, 40, {{90, 20}, {95, 25}, {99, 35}}, 116);
  m.itl_per_token = Stats(15, 14, 3, 1, 40, {{90, 20}, {95, 25}, {99, 35}}, 116);
  m.sched_ttft = Stats(52, 46, 11, 21, 90, {{90, 72}, {95, 77}, {99, 88}}, 4);
  m.sched_e2e = Stats(502, 451, 101, 301, 810, {{90, 702}, {95, 752}, {99, 800}}, 4);
  m.send_lag = Stats(0.05, 0.02, 0.01, 0.01, 0.4, {{50, 0.02}, {99, 0.11}}, 5);
  m.slot_wait = Stats(0, 0, 0, 0, 0, {{50, 0}, {99, 0}}, 5);
  m.max_output_tokens_per_s = 60;
  m.max_concurrent_requests = 3;
  m.scheduled_request_rate = 4.0;
  m.achieved_request_rate = 3.99;
  m.token_count_check.source_server = 4;
  m.token_count_check.usage_vs_retokenized_mismatch = 1;
  m.token_count_check.usage_vs_retokenized_abs_diff_sum = 2;
  m.token_count_check.usage_vs_retokenized_abs_diff_max = 2;
  m.token_count_check.tokens_per_event_mean = 1.0;
  m.event_token_source[0] = 4;
  m.client_overhead.send_lag_mean_ms = 0.05;
  m.client_overhead.send_lag_p99_ms = 0.11;
  return m;
}

}  // namespace servebench::report::testing
