// Golden tests: the console table, JSONL line and CSV row of a fixed run (report_fixture.h).
// Console goldens are compared line by line with trailing spaces removed; the padding itself is
// checked separately.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>

#include "report/console.h"
#include "report/csv.h"
#include "report/report_fixture.h"
#include "report/result_json.h"

namespace servebench::report {
namespace {

using testing::FixtureInfo;
using testing::FixtureMetrics;

std::string TrimLines(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

constexpr const char* kDefaultGolden = R"(

============ Serving Benchmark Result ============
Backend:                                 vllm
Traffic request rate:                    4.0
Max request concurrency:                 not set
Successful requests:                     4
Benchmark duration (s):                  2.50
Total input tokens:                      200
Total input text tokens:                 200
Total generated tokens:                  120
Total generated tokens (retokenized):    118
Request throughput (req/s):              1.60
Input token throughput (tok/s):          80.00
Output token throughput (tok/s):         48.00
Peak output token throughput (tok/s):    60.00
Peak concurrent requests:                3
Total token throughput (tok/s):          128.00
Concurrency:                             1.25
----------------End-to-End Latency----------------
Mean E2E Latency (ms):                   500.00
Median E2E Latency (ms):                 450.00
Std E2E Latency (ms):                    100.00
P90 E2E Latency (ms):                    700.00
P95 E2E Latency (ms):                    750.00
P99 E2E Latency (ms):                    790.00
Max E2E Latency (ms):                    800.00
---------------Time to First Token----------------
Mean TTFT (ms):                          50.00
Median TTFT (ms):                        45.00
Std TTFT (ms):                           10.00
P90 TTFT (ms):                           70.00
P95 TTFT (ms):                           75.00
P99 TTFT (ms):                           79.00
Max TTFT (ms):                           80.00
-----Time per Output Token (excl. 1st token)------
Mean TPOT (ms):                          15.50
Median TPOT (ms):                        15.00
Std TPOT (ms):                           1.25
P90 TPOT (ms):                           18.00
P95 TPOT (ms):                           18.50
P99 TPOT (ms):                           18.90
Max TPOT (ms):                           19.00
---------------Inter-Token Latency----------------
Mean ITL (ms):                           15.25
Median ITL (ms):                         14.00
Std ITL (ms):                            3.00
P90 ITL (ms):                            20.00
P95 ITL (ms):                            25.00
P99 ITL (ms):                            35.00
Max ITL (ms):                            40.00
-----------Scheduled Latency (CO-aware)-----------
Mean Sched TTFT (ms):                    52.00
P99 Sched TTFT (ms):                     88.00
Mean Sched E2E Latency (ms):             502.00
P99 Sched E2E Latency (ms):              800.00
-----------------Client Send Lag------------------
Median send lag (ms):                    0.02
P99 send lag (ms):                       0.11
Max send lag (ms):                       0.40
Read stamps:                             user space
----------------Token Count Check-----------------
Requests counted by server usage:        4
Requests counted by re-tokenizing:       0
Usage vs re-tokenized mismatches:        1
Max usage vs re-tokenized diff:          2
Tokens per event (mean):                 1.00
-------------------Run Summary--------------------
Failed requests:                         1
  truncated:                             1
Scheduled request rate (req/s):          4.00
Achieved request rate (req/s):           3.99
Run validity:                            valid
==================================================
)";

constexpr const char* kSglangGolden = R"(

============ Serving Benchmark Result ============
Backend:                                 vllm
Traffic request rate:                    4.0
Max request concurrency:                 not set
Successful requests:                     4
Benchmark duration (s):                  2.50
Total input tokens:                      200
Total input text tokens:                 200
Total generated tokens:                  120
Total generated tokens (retokenized):    118
Request throughput (req/s):              1.60
Input token throughput (tok/s):          80.00
Output token throughput (tok/s):         48.00
Peak output token throughput (tok/s):    60.00
Peak concurrent requests:                3
Total token throughput (tok/s):          128.00
Concurrency:                             1.25
----------------End-to-End Latency----------------
Mean E2E Latency (ms):                   500.00
Median E2E Latency (ms):                 450.00
P90 E2E Latency (ms):                    700.00
P95 E2E Latency (ms):                    750.00
P99 E2E Latency (ms):                    790.00
---------------Time to First Token----------------
Mean TTFT (ms):                          50.00
Median TTFT (ms):                        45.00
P90 TTFT (ms):                           70.00
P95 TTFT (ms):                           75.00
P99 TTFT (ms):                           79.00
-----Time per Output Token (excl. 1st token)------
Mean TPOT (ms):                          15.50
Median TPOT (ms):                        15.00
P90 TPOT (ms):                           18.00
P95 TPOT (ms):                           18.50
P99 TPOT (ms):                           18.90
---------------Inter-Token Latency----------------
Mean ITL (ms):                           15.25
Median ITL (ms):                         14.00
P90 ITL (ms):                            20.00
P95 ITL (ms):                            25.00
P99 ITL (ms):                            35.00
Max ITL (ms):                            40.00
==================================================
)";

TEST(Console, DefaultLayoutGolden) {
  EXPECT_EQ(TrimLines(RenderConsole(FixtureInfo(), FixtureMetrics())),
            std::string(kDefaultGolden).substr(1));
}

TEST(Console, CompatSglangLayoutGolden) {
  RunInfo info = FixtureInfo();
  info.compat = metrics::Compat::kSglang;
  EXPECT_EQ(TrimLines(RenderConsole(info, FixtureMetrics())), std::string(kSglangGolden).substr(1));
}

TEST(Console, DataLinesPadLabelTo40AndValueTo10) {
  std::istringstream in(RenderConsole(FixtureInfo(), FixtureMetrics()));
  std::string line;
  int data_lines = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '=' || line[0] == '-') continue;
    ++data_lines;
    ASSERT_GE(line.size(), 51u) << line;
    EXPECT_EQ(line[40], ' ') << line;
    EXPECT_NE(line[41], ' ') << line;
  }
  EXPECT_EQ(data_lines, 62);  // 16 + 4 blocks x 7 + 4 + 4 + 5 + 5
}

TEST(Console, RateTextAndOptionalLines) {
  RunInfo info = FixtureInfo();
  info.request_rate = std::numeric_limits<double>::infinity();
  info.max_concurrency = 8;
  info.show_vision_tokens = true;
  info.accept_length = 2.31;
  metrics::RunMetrics m = FixtureMetrics();
  m.request_goodput = 1.2;
  m.goodput_fraction = 0.6;
  m.run_valid = false;
  m.validity_issues = {"p99 send lag 3.20 ms > 1.00 ms", "interrupted"};
  std::string out = TrimLines(RenderConsole(info, m));
  EXPECT_NE(out.find("Traffic request rate:                    inf\n"), std::string::npos);
  EXPECT_NE(out.find("Max request concurrency:                 8\n"), std::string::npos);
  EXPECT_NE(out.find("Total input vision tokens:               0\n"), std::string::npos);
  EXPECT_NE(out.find("Accept length:                           2.31\n"), std::string::npos);
  EXPECT_NE(out.find("Mean slot wait (ms):                     0.00\n"), std::string::npos);
  EXPECT_NE(out.find("Goodput fraction (%):                    60.00\n"), std::string::npos);
  EXPECT_NE(out.find("Run validity:                            INVALID: p99 send lag 3.20 ms > "
                     "1.00 ms; interrupted\n"),
            std::string::npos);
  info.trace_timing = true;
  EXPECT_EQ(RequestRateText(info), "trace");
}

TEST(Console, PercentileMetricsFilterAndListChangeBlocks) {
  RunInfo info = FixtureInfo();
  info.percentile_metrics = {"ttft"};
  info.percentiles = {50, 99.9};
  metrics::RunMetrics m = FixtureMetrics();
  m.ttft.percentiles = {{50, 45}, {99.9, 79.9}};
  std::string out = TrimLines(RenderConsole(info, m));
  EXPECT_EQ(out.find("End-to-End Latency"), std::string::npos);
  EXPECT_EQ(out.find("Inter-Token Latency"), std::string::npos);
  EXPECT_NE(out.find("P50 TTFT (ms):                           45.00\n"
                     "P99.9 TTFT (ms):                         79.90\n"
                     "Max TTFT (ms):                           80.00\n"),
            std::string::npos);
}

TEST(Console, CompatVllmAndLmdeployLayouts) {
  RunInfo info = FixtureInfo();
  info.compat = metrics::Compat::kVllm;
  info.percentiles = {99};
  info.percentile_metrics = {"ttft", "tpot", "itl"};
  std::string vllm = TrimLines(RenderConsole(info, FixtureMetrics()));
  EXPECT_NE(vllm.find("Failed requests:                         1\n"
                      "Request rate configured (RPS):           4.00\n"),
            std::string::npos);
  EXPECT_NE(vllm.find("Peak concurrent requests:                3.00\n"), std::string::npos);
  EXPECT_NE(vllm.find("---------------Inter-token Latency----------------\n"
                      "Mean ITL (ms):                           15.25\n"
                      "Median ITL (ms):                         14.00\n"
                      "P99 ITL (ms):                            35.00\n"
                      "==================================================\n"),
            std::string::npos);
  EXPECT_EQ(vllm.find("Backend:"), std::string::npos);

  info.compat = metrics::Compat::kLmdeploy;
  std::string lmdeploy = TrimLines(RenderConsole(info, FixtureMetrics()));
  EXPECT_NE(lmdeploy.find("----------------End-to-End Latency----------------\n"
                          "Mean E2E Latency (ms):                   500.00\n"
                          "Median E2E Latency (ms):                 450.00\n"
                          "---------------Time to First Token----------------\n"),
            std::string::npos);
  EXPECT_EQ(lmdeploy.find("Peak"), std::string::npos);
}

TEST(Console, CacheHitDetailsBlock) {
  metrics::RunMetrics m = FixtureMetrics();
  m.cache_report = metrics::CacheReport{200, 58, 29.0, 10, 5, 3, "mooncake"};
  std::string out = TrimLines(RenderConsole(FixtureInfo(), m));
  EXPECT_NE(out.find("Max ITL (ms):                            40.00\n"
                     "----------------Cache Hit Details-----------------\n"
                     "Total prompt tokens:                     200\n"
                     "Total cached tokens:                     58\n"
                     "  Device:                                10\n"
                     "  Host:                                  5\n"
                     "  Storage (mooncake):                    3\n"
                     "Cache hit rate:                          29.0%\n"
                     "-----------Scheduled Latency (CO-aware)-----------\n"),
            std::string::npos)
      << out;
  m.cache_report = metrics::CacheReport{200, 75, 37.4};
  out = TrimLines(RenderConsole(FixtureInfo(), m));
  EXPECT_NE(out.find("Total cached tokens:                     75\n"
                     "Cache hit rate:                          37.4%\n"),
            std::string::npos);
}

TEST(Console, TokenCountWarning) {
  metrics::RunMetrics m = FixtureMetrics();
  EXPECT_FALSE(TokenCountWarning(m).has_value());
  m.token_count_check.warn = true;
  m.token_count_check.usage_short_of_requested = 3;
  EXPECT_EQ(*TokenCountWarning(m),
            "Warning: token counts disagree: 1 of 4 successful requests report a usage count "
            "different from the re-tokenized output (max difference 2); 3 requests got fewer "
            "tokens than the ignore-EOS length they asked for (the server did not honour "
            "ignore_eos).");
}

TEST(Console, CompatPrintDefaults) {
  RunInfo info = FixtureInfo();
  info.compat = metrics::Compat::kVllm;
  ApplyCompatPrintDefaults(info, false, false);
  EXPECT_EQ(info.percentiles, (std::vector<double>{99}));
  EXPECT_EQ(info.percentile_metrics, (std::vector<std::string>{"ttft", "tpot", "itl"}));
  info.percentiles = {50};
  ApplyCompatPrintDefaults(info, true, false);  // an explicit flag wins
  EXPECT_EQ(info.percentiles, (std::vector<double>{50}));
  info.compat = metrics::Compat::kSglang;
  ApplyCompatPrintDefaults(info, false, false);
  EXPECT_EQ(info.percentiles, (std::vector<double>{90, 95, 99}));
  EXPECT_EQ(info.percentile_metrics.size(), 4u);
}

TEST(Console, SweepSummary) {
  SweepRow rows[] = {{2.0, FixtureMetrics()},
                     {std::numeric_limits<double>::infinity(), FixtureMetrics()}};
  rows[1].metrics.run_valid = false;
  std::string out = RenderSweepSummary(rows);
  EXPECT_EQ(out,
            "    rate  completed      req/s  out tok/s  mean TTFT   p99 TTFT   mean ITL    p99 ITL "
            "   p99 E2E   valid\n"
            "     2.0          4       1.60      48.00      50.00      79.00      15.25      35.00 "
            "    790.00     yes\n"
            "     inf          4       1.60      48.00      50.00      79.00      15.25      35.00 "
            "    790.00      no\n");
}

constexpr const char* kJsonGolden =
    R"({"tag": null, "backend": "vllm", "dataset_name": "random", "request_rate": 4.0)"
    R"(, "max_concurrency": null, "sharegpt_output_len": null, "random_input_len": 100)"
    R"(, "random_output_len": 30, "random_range_ratio": 0.0, "server_info": null)"
    R"(, "duration": 2.5, "completed": 4, "total_input_tokens": 200)"
    R"(, "total_input_text_tokens": 200, "total_input_vision_tokens": 0)"
    R"(, "total_output_tokens": 120, "total_output_tokens_retokenized": 118)"
    R"(, "request_throughput": 1.6, "input_throughput": 80.0, "output_throughput": 48.0)"
    R"(, "total_throughput": 128.0, "mean_e2e_latency_ms": 500.0)"
    R"(, "median_e2e_latency_ms": 450.0, "std_e2e_latency_ms": 100.0)"
    R"(, "p90_e2e_latency_ms": 700.0, "p95_e2e_latency_ms": 750.0)"
    R"(, "p99_e2e_latency_ms": 790.0, "mean_ttft_ms": 50.0, "median_ttft_ms": 45.0)"
    R"(, "std_ttft_ms": 10.0, "p90_ttft_ms": 70.0, "p95_ttft_ms": 75.0)"
    R"(, "p99_ttft_ms": 79.0, "mean_tpot_ms": 15.5, "median_tpot_ms": 15.0)"
    R"(, "std_tpot_ms": 1.25, "p90_tpot_ms": 18.0, "p95_tpot_ms": 18.5)"
    R"(, "p99_tpot_ms": 18.9, "mean_itl_ms": 15.25, "median_itl_ms": 14.0)"
    R"(, "std_itl_ms": 3.0, "p90_itl_ms": 20.0, "p95_itl_ms": 25.0, "p99_itl_ms": 35.0)"
    R"(, "concurrency": 1.25, "accept_length": null, "max_output_tokens_per_s": 60.0)"
    R"(, "max_concurrent_requests": 3, "servebench_version": "0.1.0")"
    R"(, "date": "2026-01-02T03:04:05+00:00", "start_unix_ns": 1767323045000000000)"
    R"(, "command_line": ["servebench", "run", "--request-rate", "4"], "compat": null)"
    R"(, "seed": 42, "model_id": "m", "tokenizer_id": "t")"
    R"(, "base_url": "http://127.0.0.1:8000", "endpoint": "/v1/completions")"
    R"(, "num_prompts": 5, "burstiness": 1.0, "closed_loop_concurrency": null)"
    R"(, "failed": 1, "failures_by_reason": {"truncated": 1})"
    R"(, "completed_without_tokens": 0, "not_sent": 0, "rounds_dropped": 0, "min_e2e_latency_ms": 300.0)"
    R"(, "max_e2e_latency_ms": 800.0, "min_ttft_ms": 20.0, "max_ttft_ms": 80.0)"
    R"(, "min_tpot_ms": 12.0, "max_tpot_ms": 19.0, "min_itl_ms": 1.0)"
    R"(, "max_itl_ms": 40.0, "mean_itl_per_token_ms": 15.0)"
    R"(, "median_itl_per_token_ms": 14.0, "std_itl_per_token_ms": 3.0)"
    R"(, "p90_itl_per_token_ms": 20.0, "p95_itl_per_token_ms": 25.0)"
    R"(, "p99_itl_per_token_ms": 35.0, "max_itl_per_token_ms": 40.0)"
    R"(, "mean_sched_ttft_ms": 52.0, "median_sched_ttft_ms": 46.0)"
    R"(, "std_sched_ttft_ms": 11.0, "p90_sched_ttft_ms": 72.0)"
    R"(, "p95_sched_ttft_ms": 77.0, "p99_sched_ttft_ms": 88.0)"
    R"(, "max_sched_ttft_ms": 90.0, "mean_sched_e2e_latency_ms": 502.0)"
    R"(, "median_sched_e2e_latency_ms": 451.0, "std_sched_e2e_latency_ms": 101.0)"
    R"(, "p90_sched_e2e_latency_ms": 702.0, "p95_sched_e2e_latency_ms": 752.0)"
    R"(, "p99_sched_e2e_latency_ms": 800.0, "max_sched_e2e_latency_ms": 810.0)"
    R"(, "mean_send_lag_ms": 0.05, "median_send_lag_ms": 0.02, "p99_send_lag_ms": 0.11)"
    R"(, "max_send_lag_ms": 0.4, "mean_slot_wait_ms": 0.0, "median_slot_wait_ms": 0.0)"
    R"(, "p99_slot_wait_ms": 0.0, "max_slot_wait_ms": 0.0, "rpm": 96.0)"
    R"(, "request_goodput": null, "goodput_fraction": null, "goodput_config": null)"
    R"(, "scheduled_request_rate": 4.0, "achieved_request_rate": 3.99)"
    R"(, "token_count_check": {"output_token_source": {"server": 4, "retokenized": 0})"
    R"(, "usage_vs_retokenized_mismatch": 1, "usage_vs_retokenized_abs_diff_sum": 2)"
    R"(, "usage_vs_retokenized_abs_diff_max": 2, "usage_short_of_requested": 0)"
    R"(, "tokens_per_event_mean": 1.0, "events_vs_usage_mismatch": 0})"
    R"(, "event_token_source": {"server": 4, "tokenizer": 0, "unknown": 0})"
    R"(, "samples": {"ttft": 4, "itl": 116, "itl_per_token": 116, "tpot": 4, "e2e": 4})"
    R"(, "client_overhead": {"read_stamps": "user", "send_lag_mean_ms": 0.05, )"
    R"("send_lag_p99_ms": 0.11})"
    R"(, "server_metrics_delta": null, "warmup": {"sent": 1, "succeeded": 1)"
    R"(, "mean_ttft_ms": 12.5, "mean_e2e_latency_ms": 40.0}, "cache_flushed": null)"
    R"(, "run_valid": true, "validity_issues": [], "interrupted": false})";

TEST(Console, ProfileThroughputTable) {
  RunInfo info = FixtureInfo();
  info.closed_loop_concurrency = 64;
  metrics::LmdeployThroughput t;
  t.total_requests = 5;
  t.included = 4;
  t.duration_s = 2.5;
  t.total_input_tokens = 200;
  t.total_output_tokens = 120;
  t.input_throughput = 80;
  t.output_throughput = 48;
  t.request_throughput = 1.6;
  t.e2e = {4, 0.5, 0.45, 0.6, 0.7, 0.79};
  t.ttft = {4, 0.05, 0.045, 0.06, 0.075, 0.079};
  t.tpot = {4, 0.0156, 0.015, 0.016, 0.0185, 0.0189};
  t.itl = {112, 0.015, 0.014, 0.016, 0.025, 0.035};
  t.tokens_per_tick = {116, 1.0, 1, 1, 1, 1};
  std::string out = RenderProfileThroughput(info, t, 0.0);
  std::string rule(90, '-');
  EXPECT_EQ(out, std::string(35, '=') + " Profile Throughput " + std::string(35, '=') + "\n" +
                     "Benchmark duration                           2.500\n"
                     "Total requests                                   5\n"
                     "Successful requests                              4\n"
                     "Concurrency                                     64\n"
                     "Cancel rate                                  0.000\n"
                     "Stream output                                 True\n"
                     "Skip tokenize                                False\n"
                     "Skip detokenize                              False\n"
                     "Total input tokens                             200\n"
                     "Total generated tokens                         120\n"
                     "Input throughput (tok/s)                    80.000\n"
                     "Output throughput (tok/s)                   48.000\n"
                     "Request throughput (req/s)                   1.600\n" +
                     rule + "\n" +
                     "                                              mean       P50       P75       "
                     "P95       P99\n"
                     "End-to-end Latency                           0.500     0.450     0.600     "
                     "0.700     0.790\n"
                     "Time to First Token (TTFT)                   0.050     0.045     0.060     "
                     "0.075     0.079\n"
                     "Time per Output Token (TPOT)                 0.016     0.015     0.016     "
                     "0.018     0.019\n"
                     "Inter-token Latency (ITL)                    0.015     0.014     0.016     "
                     "0.025     0.035\n"
                     "Tokens per Tick                              1.000         1         1       "
                     "  1         1\n" +
                     std::string(90, '=') + "\n");
}

TEST(ResultJson, GoldenLine) {
  EXPECT_EQ(RenderResultLine(FixtureInfo(), FixtureMetrics()), kJsonGolden);
}

TEST(ResultJson, InfiniteRateAndTraceAndCompat) {
  RunInfo info = FixtureInfo();
  info.request_rate = std::numeric_limits<double>::infinity();
  metrics::RunMetrics m = FixtureMetrics();
  EXPECT_NE(RenderResultLine(info, m).find(R"("request_rate": "inf", )"), std::string::npos);
  info.compat = metrics::Compat::kSglang;
  std::string sglang = RenderResultLine(info, m);
  EXPECT_NE(sglang.find(R"("request_rate": Infinity, )"), std::string::npos);
  EXPECT_NE(sglang.find(R"("compat": "sglang", )"), std::string::npos);
  info.trace_timing = true;
  EXPECT_NE(RenderResultLine(info, m).find(R"("request_rate": "trace", )"), std::string::npos);
}

TEST(ResultJson, OptionalBlocks) {
  RunInfo info = FixtureInfo();
  info.goodput.bounds = {{"ttft", 200.0}, {"e2el", 1000.0}};
  info.ramp_up = RampUpInfo{"linear", 1, 5, {{1, 0.0}, {2, 0.75}}};
  metrics::RunMetrics m = FixtureMetrics();
  m.request_goodput = 1.2;
  m.goodput_fraction = 0.6;
  m.client_overhead.parse_ns_per_event = 150;
  info.spec_decode = SpecDecodeInfo{62.5, 2.25, 8, 16, 10, {0.75, 0.5}};
  std::string line = RenderResultLine(info, m);
  EXPECT_NE(
      line.find(
          R"("spec_decode_acceptance_rate": 62.5, "spec_decode_acceptance_length": 2.25, "spec_decode_num_drafts": 8, "spec_decode_draft_tokens": 16, "spec_decode_accepted_tokens": 10, "spec_decode_per_position_acceptance_rates": [0.75, 0.5], "server_metrics_delta": null, )"),
      std::string::npos)
      << line;
  EXPECT_NE(
      line.find(
          R"("request_goodput": 1.2, "goodput_fraction": 0.6, "goodput_config": {"ttft": 200.0, "e2el": 1000.0}, )"),
      std::string::npos);
  EXPECT_NE(
      line.find(
          R"("ramp_up_strategy": "linear", "ramp_up_start_rps": 1.0, "ramp_up_end_rps": 5.0, "rps_change_events": [{"rps": 1, "time_s": 0.0}, {"rps": 2, "time_s": 0.75}], "token_count_check")"),
      std::string::npos);
  EXPECT_NE(line.find(R"("parse_ns_per_event": 150.0})"), std::string::npos);
}

TEST(ResultJson, CacheReport) {
  metrics::RunMetrics m = FixtureMetrics();
  m.cache_report = metrics::CacheReport{200, 75, 37.5};
  std::vector<metrics::RequestRecord> records(2);
  records[0].cached_tokens = 75;
  records[1].cached_tokens_details = metrics::RequestRecord::CachedTokensDetails{1, 2, 3, "hf3fs"};
  std::string line = RenderResultLine(FixtureInfo(), m, records);
  EXPECT_NE(
      line.find(
          R"("max_concurrent_requests": 3, "cache_report": {"total_prompt_tokens": 200, "total_cached_tokens": 75, "cache_hit_rate_pct": 37.5, "device_cached_tokens": null, "host_cached_tokens": null, "storage_cached_tokens": null, "storage_backend": null}, "servebench_version")"),
      std::string::npos)
      << line;
  EXPECT_NE(
      line.find(
          R"("cached_tokens": [75, 6], "cached_tokens_details": [null, {"device": 1, "host": 2, "storage": 3, "storage_backend": "hf3fs"}], "request_ids")"),
      std::string::npos)
      << line;
  EXPECT_EQ(RenderResultLine(FixtureInfo(), FixtureMetrics(), records).find("cached_tokens"),
            std::string::npos);
}

TEST(ResultJson, DetailsArrays) {
  std::vector<metrics::RequestRecord> records(2);
  records[0].request_id = "bench-1";
  records[0].send_time = 1'000'000;
  records[0].AddTokenEvent(11'000'000, 1);
  records[0].AddTokenEvent(13'000'000, metrics::kUnknownTokens);
  records[0].end_time = 14'000'000;
  records[0].output_tokens_server = 2;
  records[0].prompt_tokens_dataset = 7;
  records[0].generated_text = "a b";
  records[1].request_id = "bench-2";
  records[1].Fail(metrics::RequestStatus::kHttpStatus, 5'000'000, "503 busy");
  records[1].http_status = 503;
  std::string line = RenderResultLine(FixtureInfo(), FixtureMetrics(), records);
  EXPECT_NE(
      line.find(
          R"("interrupted": false, "input_lens": [7, 0], "output_lens": [2, 0], "ttfts": [0.01, 0.0], "itls": [[0.002], []], "generated_texts": ["a b", ""], "errors": ["", "503 busy"], "request_ids": ["bench-1", "bench-2"], "sessions": [null, null], "rounds": [null, null], "statuses": ["ok", "http_status"], "http_statuses": [0, 503], )"),
      std::string::npos)
      << line;
  EXPECT_NE(
      line.find(
          R"("event_tokens": [[1, null], []], "connection_reused": [false, false], "bytes_received": [0, 0]})"),
      std::string::npos);
  EXPECT_NE(line.find(R"("output_lens_server": [2, null], )"), std::string::npos);
}

TEST(Csv, OpenLoopGolden) {
  RunInfo info = FixtureInfo();
  EXPECT_EQ(CsvHeader(info) + CsvRow(info, FixtureMetrics()),
            "backend,dataset_name,sharegpt_output_len,random_input_len,random_output_len,"
            "random_range_ratio,request_rate,completed,total_input_tokens,total_output_tokens,"
            "duration,request_throughput,input_throughput,output_throughput,mean_e2e_latency_ms,"
            "mean_ttft_ms,mean_tpot_ms,mean_itl_ms\n"
            "vllm,random,,100,30,0.0,4.0,4,200,120,2.5,1.6,80.0,48.0,500.0,50.0,15.5,15.25\n");
  info.request_rate = std::numeric_limits<double>::infinity();
  EXPECT_NE(CsvRow(info, FixtureMetrics()).find(",0.0,inf,4,"), std::string::npos);
}

TEST(Csv, ClosedLoopGolden) {
  RunInfo info = FixtureInfo();
  info.closed_loop_concurrency = 64;
  info.stream = false;
  info.dataset_name = "share,gpt";
  EXPECT_EQ(CsvHeader(info) + CsvRow(info, FixtureMetrics()),
            "backend,bs,dataset_name,sharegpt_output_len,random_input_len,random_output_len,"
            "random_range_ratio,num_prompts,completed,total_input_tokens,total_output_tokens,"
            "duration,request_throughput,input_throughput,output_throughput,mean_e2e_latency_ms,"
            "mean_ttft_ms,mean_tpot_ms,mean_itl_ms\n"
            "vllm,64,\"share,gpt\",,100,30,0.000,5,4,200,120,2.500,1.600,80.000,48.000,500.000,-,"
            "15.500,-\n");
}

TEST(Csv, AppendWritesTheHeaderOnce) {
  std::string path = ::testing::TempDir() + "servebench_report_csv_test.csv";
  std::filesystem::remove(path);
  ASSERT_TRUE(AppendCsv(path, "h\n", "r1\n").has_value());
  ASSERT_TRUE(AppendCsv(path, "h\n", "r2\n").has_value());
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "h\nr1\nr2\n");
  std::filesystem::remove(path);
  auto bad = AppendCsv("/nonexistent-dir/x.csv", "h\n", "r\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("--csv /nonexistent-dir/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace servebench::report
