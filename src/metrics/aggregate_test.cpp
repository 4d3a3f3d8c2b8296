// Aggregates checked against numbers worked out by hand from the formulas of spec/metrics.md on
// five recorded requests (times below in ms from t0).
#include "metrics/aggregate.h"

#include <cmath>

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

constexpr double kEps = 1e-9;

int64_t Ns(double ms) {
  return std::llround(ms * 1e6);
}

struct Event {
  double ms;
  int32_t tokens;
};

RequestRecord Make(double s, double a, std::vector<Event> events, double end) {
  RequestRecord r;
  r.scheduled_time = Ns(s);
  r.admit_time = Ns(s);
  r.send_time = Ns(a);
  for (const Event& e : events)
    r.AddTokenEvent(Ns(e.ms), e.tokens);
  r.end_time = Ns(end);
  return r;
}

// R0: streamed, per-event server counts 1,1,2,1; [DONE] at 17, last byte at 18.
// R1: streamed, counts 1,3; usage 4 vs 6 re-tokenized, 8 requested with ignore-EOS (short).
// R2: truncated after one event.
// R3: successful stream without token events.
// R4: non-streamed: one event at the end, unknown count.
std::vector<RequestRecord> Recorded() {
  std::vector<RequestRecord> rs;
  RequestRecord r0 = Make(0, 0.2, {{10, 1}, {12, 1}, {15, 2}, {16, 1}}, 18);
  r0.last_event_time = Ns(17);
  r0.done_time = Ns(17);
  r0.prompt_tokens_dataset = 100;
  r0.output_tokens_requested = 5;
  r0.ignore_eos = true;
  r0.output_tokens_server = 5;
  r0.output_tokens_retokenized = 5;
  r0.event_token_source = EventTokenSource::kServer;
  rs.push_back(r0);

  RequestRecord r1 = Make(100, 100.4, {{130, 1}, {140, 3}}, 142);
  r1.last_event_time = Ns(141);
  r1.prompt_tokens_dataset = 50;
  r1.prompt_vision_tokens = 10;
  r1.prompt_tokens_server = 48;
  r1.output_tokens_requested = 8;
  r1.ignore_eos = true;
  r1.output_tokens_server = 4;
  r1.output_tokens_retokenized = 6;
  r1.usage_on_token_event = true;
  r1.event_token_source = EventTokenSource::kServer;
  rs.push_back(r1);

  RequestRecord r2 = Make(200, 201, {{220, 1}}, 0);
  r2.Fail(RequestStatus::kTruncated, Ns(250), "EOF after 120 bytes");
  r2.prompt_tokens_dataset = 70;
  r2.output_tokens_requested = 9;
  rs.push_back(r2);

  RequestRecord r3 = Make(300, 300.3, {}, 320);
  r3.last_event_time = Ns(319);
  r3.prompt_tokens_dataset = 30;
  r3.output_tokens_requested = 10;
  r3.output_tokens_retokenized = 0;
  r3.event_token_source = EventTokenSource::kTokenizer;
  rs.push_back(r3);

  RequestRecord r4 = Make(400, 400.1, {{450, kUnknownTokens}}, 450);
  r4.prompt_tokens_dataset = 20;
  r4.output_tokens_requested = 3;
  r4.output_tokens_retokenized = 3;
  rs.push_back(r4);
  return rs;
}

RunSettings Settings(Compat compat, ApiStyle api = ApiStyle::kCompletions) {
  RunSettings s;
  s.rules.compat = compat;
  s.rules.api = api;
  return s;
}

TEST(Aggregate, DefaultRulesCountsAndThroughputs) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kNone));
  EXPECT_EQ(m.completed, 4);
  EXPECT_EQ(m.failed, 1);
  ASSERT_EQ(m.failures_by_reason.size(), 1u);
  EXPECT_EQ(m.failures_by_reason[0].first, RequestStatus::kTruncated);
  EXPECT_EQ(m.completed_without_tokens, 1);
  EXPECT_NEAR(m.duration_s, 0.45, kEps);  // last end instant: R4 at 450 ms
  EXPECT_EQ(m.total_input_tokens, 200);   // 100 + 50 + 30 + 20
  EXPECT_EQ(m.total_input_vision_tokens, 10);
  EXPECT_EQ(m.total_input_text_tokens, 190);
  EXPECT_EQ(m.total_output_tokens, 12);  // usage 5, 4; re-tokenized 0, 3
  EXPECT_EQ(m.total_output_tokens_retokenized, 14);
  EXPECT_NEAR(m.request_throughput, 8.888888888888889, 1e-9);
  EXPECT_NEAR(m.input_throughput, 444.4444444444444, 1e-9);
  EXPECT_NEAR(m.output_throughput, 26.666666666666664, 1e-9);
  EXPECT_NEAR(m.total_throughput, 471.1111111111111, 1e-9);
  EXPECT_NEAR(m.concurrency, 0.2866666666666667, 1e-9);  // (17.8+41.6+19.7+49.9) ms / 450 ms
  EXPECT_NEAR(m.rpm, 533.3333333333334, 1e-9);
}

TEST(Aggregate, DefaultRulesLatencies) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kNone));
  // E2E from a_i to the last byte: 17.8, 41.6, 19.7, 49.9.
  EXPECT_EQ(m.e2e.count, 4u);
  EXPECT_NEAR(m.e2e.mean, 32.25, 1e-9);
  EXPECT_NEAR(m.e2e.median, 30.65, 1e-9);
  EXPECT_NEAR(m.e2e.min, 17.8, 1e-9);
  EXPECT_NEAR(m.e2e.max, 49.9, 1e-9);
  // TTFT over R0, R1, R4: 9.8, 29.6, 49.9.
  EXPECT_EQ(m.ttft.count, 3u);
  EXPECT_NEAR(m.ttft.mean, 29.76666666666667, 1e-9);
  EXPECT_NEAR(m.ttft.median, 29.6, 1e-9);
  EXPECT_NEAR(m.ttft.std, 16.371180640245697, 1e-9);
  EXPECT_NEAR(PercentileOf(m.ttft, 90), 45.84, 1e-9);
  EXPECT_NEAR(PercentileOf(m.ttft, 95), 47.87, 1e-9);
  EXPECT_NEAR(PercentileOf(m.ttft, 99), 49.494, 1e-9);
  // TPOT: (17.8-9.8)/4 = 2, (41.6-29.6)/3 = 4, (49.9-49.9)/2 = 0.
  EXPECT_EQ(m.tpot.count, 3u);
  EXPECT_NEAR(m.tpot.mean, 2.0, 1e-9);
  EXPECT_NEAR(m.tpot.std, 1.632993161855452, 1e-9);
  // ITL per event: 2, 3, 1 (R0) and 10 (R1).
  EXPECT_EQ(m.itl.count, 4u);
  EXPECT_NEAR(m.itl.mean, 4.0, 1e-9);
  EXPECT_NEAR(m.itl.median, 2.5, 1e-9);
  EXPECT_NEAR(m.itl.std, 3.5355339059327378, 1e-9);
  EXPECT_NEAR(PercentileOf(m.itl, 99), 9.79, 1e-9);
  EXPECT_NEAR(m.itl.max, 10, 1e-9);
  // ITL per token: 2, 1.5, 1.5, 1 (R0) and 10/3 three times (R1).
  EXPECT_EQ(m.itl_per_token.count, 7u);
  EXPECT_NEAR(m.itl_per_token.mean, 2.2857142857142856, 1e-9);
  EXPECT_NEAR(m.itl_per_token.median, 2.0, 1e-9);
  EXPECT_NEAR(m.itl_per_token.std, 0.945810669811486, 1e-9);
  // Scheduled: TTFT from s_i = 10, 30, 50; E2E from s_i = 18, 42, 20, 50.
  EXPECT_NEAR(m.sched_ttft.mean, 30.0, 1e-9);
  EXPECT_NEAR(m.sched_e2e.mean, 32.5, 1e-9);
  EXPECT_NEAR(m.sched_e2e.max, 50.0, 1e-9);
}

TEST(Aggregate, SendLagSlotWaitAndValidity) {
  RunSettings s = Settings(Compat::kNone);
  s.finite_rate_open_loop = true;
  RunMetrics m = Aggregate(Recorded(), s);
  // Send lags of all five sent requests: 0.2, 0.4, 1.0, 0.3, 0.1 ms.
  EXPECT_EQ(m.send_lag.count, 5u);
  EXPECT_NEAR(m.send_lag.mean, 0.4, 1e-9);
  EXPECT_NEAR(m.send_lag.median, 0.3, 1e-9);
  EXPECT_NEAR(PercentileOf(m.send_lag, 99), 0.976, 1e-9);
  EXPECT_NEAR(m.send_lag.max, 1.0, 1e-9);
  EXPECT_EQ(m.slot_wait.max, 0);
  // Scheduled 4 / 0.4 s; achieved 4 / 0.3999 s.
  EXPECT_NEAR(*m.scheduled_request_rate, 10.0, 1e-9);
  EXPECT_NEAR(*m.achieved_request_rate, 10.002500625156289, 1e-9);
  EXPECT_TRUE(m.run_valid);

  s.max_send_lag_ms = 0.5;
  s.interrupted = true;
  RunMetrics bad = Aggregate(Recorded(), s);
  EXPECT_FALSE(bad.run_valid);
  ASSERT_EQ(bad.validity_issues.size(), 2u);
  EXPECT_EQ(bad.validity_issues[0], "p99 send lag 0.98 ms > 0.50 ms");
  EXPECT_EQ(bad.validity_issues[1], "interrupted");
}

TEST(Aggregate, MissedScheduleRateMakesAnUncappedRunInvalid) {
  std::vector<RequestRecord> rs;
  // Scheduled every 100 ms, sent every 102 ms (each admitted late, so lag stays 0).
  for (int i = 0; i < 5; ++i) {
    RequestRecord r = Make(100.0 * i, 102.0 * i, {{102.0 * i + 5, 1}}, 102.0 * i + 6);
    r.admit_time = r.send_time;
    rs.push_back(r);
  }
  RunSettings s = Settings(Compat::kNone);
  s.finite_rate_open_loop = true;
  RunMetrics m = Aggregate(rs, s);
  EXPECT_FALSE(m.run_valid);
  ASSERT_EQ(m.validity_issues.size(), 1u);
  EXPECT_NE(m.validity_issues[0].find("achieved request rate 9.80 req/s"), std::string::npos);
  s.max_concurrency_set = true;  // a capped run may fall behind by design
  EXPECT_TRUE(Aggregate(rs, s).run_valid);
}

TEST(Aggregate, TokenCountReconciliation) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kNone));
  const TokenCountCheck& c = m.token_count_check;
  EXPECT_EQ(c.source_server, 2);
  EXPECT_EQ(c.source_retokenized, 2);
  EXPECT_EQ(c.usage_vs_retokenized_mismatch, 1);  // R1: 4 vs 6
  EXPECT_EQ(c.usage_vs_retokenized_abs_diff_sum, 2);
  EXPECT_EQ(c.usage_vs_retokenized_abs_diff_max, 2);
  EXPECT_EQ(c.usage_short_of_requested, 1);          // R1: 4 < 8 with ignore-EOS
  EXPECT_NEAR(c.tokens_per_event_mean, 1.5, 1e-12);  // (5 + 4) / (4 + 2)
  EXPECT_EQ(c.events_vs_usage_mismatch, 2);          // 4 events vs 5, 2 vs 4
  EXPECT_TRUE(c.warn);
  EXPECT_EQ(m.event_token_source[0], 2);  // server
  EXPECT_EQ(m.event_token_source[1], 1);  // tokenizer
  EXPECT_EQ(m.event_token_source[2], 1);  // unknown
}

TEST(Aggregate, Goodput) {
  RunSettings s = Settings(Compat::kNone);
  std::vector<std::string> args{"ttft:30", "tpot:3"};
  s.goodput = *ParseGoodput(args);
  RunMetrics m = Aggregate(Recorded(), s);
  // Only R0 (TTFT 9.8, TPOT 2) is good; R1 has TPOT 4, R3 no TTFT, R4 TTFT 49.9.
  EXPECT_NEAR(*m.request_goodput, 1 / 0.45, 1e-9);
  EXPECT_NEAR(*m.goodput_fraction, 0.2, 1e-12);

  std::vector<std::string> e2e{"sched_e2el:20"};
  s.goodput = *ParseGoodput(e2e);
  // Scheduled E2E 18 (R0) and 20 (R3) meet the bound.
  EXPECT_NEAR(*Aggregate(Recorded(), s).goodput_fraction, 0.4, 1e-12);
  EXPECT_FALSE(Aggregate(Recorded(), Settings(Compat::kNone)).request_goodput.has_value());
}

TEST(Aggregate, PeaksDefault) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kNone));
  // All within the first second: 5 + 4 tokens + 1 for R4's unknown count.
  EXPECT_EQ(*m.max_output_tokens_per_s, 10);
  EXPECT_EQ(*m.max_concurrent_requests, 1);  // no two successful requests overlap
}

TEST(Aggregate, CompatSglang) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kSglang));
  EXPECT_EQ(m.completed, 4);
  // E2E ends at the last event line: 17-0.2, 141-100.4, 319-300.3, R4 at its end 450-400.1.
  EXPECT_NEAR(m.e2e.mean, (16.8 + 40.6 + 18.7 + 49.9) / 4, 1e-9);
  // Completions: usage only when it rode on a token event (R1), else the requested length.
  EXPECT_EQ(m.total_output_tokens, 5 + 4 + 10 + 3);
  // TPOT: (16.8-9.8)/4 = 1.75, (40.6-29.6)/3, 0.
  EXPECT_NEAR(m.tpot.mean, (1.75 + 11.0 / 3) / 3, 1e-9);
  EXPECT_NEAR(m.duration_s, 0.45, kEps);
  EXPECT_EQ(*m.max_output_tokens_per_s, 7);  // one per event: 4 + 2 + 1
  EXPECT_EQ(*m.max_concurrent_requests, 4);  // all four fall in bucket 0
}

TEST(Aggregate, CompatVllm) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kVllm));
  // R3 (no token events) becomes a failure.
  EXPECT_EQ(m.completed, 3);
  EXPECT_EQ(m.failed, 2);
  ASSERT_EQ(m.failures_by_reason.size(), 2u);
  EXPECT_EQ(m.failures_by_reason[0].first, RequestStatus::kStreamError);
  EXPECT_EQ(m.failures_by_reason[1].first, RequestStatus::kTruncated);
  // Input: the server's count when reported (R1: 48).
  EXPECT_EQ(m.total_input_tokens, 100 + 48 + 20);
  EXPECT_EQ(m.total_output_tokens, 5 + 4 + 3);
  // E2E ends at the last token event: 16-0.2, 140-100.4, 450-400.1.
  EXPECT_NEAR(m.e2e.mean, (15.8 + 39.6 + 49.9) / 3, 1e-9);
  EXPECT_NEAR(m.tpot.mean, (1.5 + 10.0 / 3 + 0) / 3, 1e-9);
  EXPECT_EQ(*m.max_output_tokens_per_s, 7);
  EXPECT_EQ(*m.max_concurrent_requests, 1);
}

TEST(Aggregate, CompatLmdeploy) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kLmdeploy));
  EXPECT_EQ(m.completed, 4);
  EXPECT_EQ(m.total_output_tokens, 5 + 8 + 10 + 3);  // requested lengths (completions)
  EXPECT_NEAR(m.e2e.mean, (16.8 + 40.6 + 18.7 + 49.9) / 4, 1e-9);
  EXPECT_FALSE(m.max_output_tokens_per_s.has_value());
  EXPECT_FALSE(m.max_concurrent_requests.has_value());
  RunMetrics chat = Aggregate(Recorded(), Settings(Compat::kLmdeploy, ApiStyle::kChat));
  EXPECT_EQ(chat.total_output_tokens, 5 + 4 + 10 + 3);  // chat: usage when present
}

TEST(Aggregate, CompatSglangNativeItlIsPerToken) {
  RunMetrics m = Aggregate(Recorded(), Settings(Compat::kSglang, ApiStyle::kSglangNative));
  EXPECT_EQ(m.itl.count, 7u);
  EXPECT_NEAR(m.itl.mean, 2.2857142857142856, 1e-9);
  // Native output tokens: meta_info usage, else requested.
  EXPECT_EQ(m.total_output_tokens, 5 + 4 + 10 + 3);
  // Peak: one token at a + TTFT and one per per-token ITL entry: 5 (R0) + 4 (R1) + 1 (R4).
  EXPECT_EQ(*m.max_output_tokens_per_s, 10);
}

TEST(Aggregate, EmptyRunReportsZeros) {
  RunMetrics m = Aggregate({}, Settings(Compat::kNone));
  EXPECT_EQ(m.completed, 0);
  EXPECT_EQ(m.duration_s, 0);
  EXPECT_EQ(m.request_throughput, 0);
  EXPECT_EQ(m.ttft.count, 0u);
  EXPECT_EQ(*m.max_output_tokens_per_s, 0);
  EXPECT_TRUE(m.run_valid);
}

TEST(Aggregate, ClientOverheadOnlyWhatWasMeasured) {
  std::vector<RequestRecord> rs = Recorded();
  RunSettings s = Settings(Compat::kNone);
  RunMetrics unmeasured = Aggregate(rs, s);
  EXPECT_NEAR(unmeasured.client_overhead.send_lag_p99_ms, 0.976, 1e-9);
  EXPECT_FALSE(unmeasured.client_overhead.parse_ns_per_event.has_value());
  EXPECT_FALSE(unmeasured.client_overhead.recv_to_parsed_p99_ms.has_value());
  EXPECT_FALSE(unmeasured.client_overhead.events_per_s_per_thread.has_value());

  // R0 (4 events) and R1 (2 events) parsed in 800 and 400 ns, worst delays 0.01 and 0.03 ms;
  // R2's one event was never timed.
  rs[0].parse_ns = 800;
  rs[0].max_recv_to_parsed_ns = 10'000;
  rs[1].parse_ns = 400;
  rs[1].max_recv_to_parsed_ns = 30'000;
  for (auto& r : rs)
    r.bytes_received = 900;
  s.client_threads = 2;
  s.client_cpu_seconds = 0.09;
  ClientOverhead o = Aggregate(rs, s).client_overhead;
  EXPECT_NEAR(*o.parse_ns_per_event, 1200.0 / 8, 1e-9);  // 8 events in all records
  EXPECT_NEAR(*o.recv_to_parsed_mean_ms, 0.02, 1e-12);
  EXPECT_NEAR(*o.recv_to_parsed_p99_ms, 0.0298, 1e-12);
  EXPECT_NEAR(*o.events_per_s_per_thread, 8 / 0.9, 1e-9);  // D = 0.45 s, 2 threads
  EXPECT_NEAR(*o.bytes_per_s_per_thread, 4500 / 0.9, 1e-9);
  EXPECT_NEAR(*o.cpu_seconds_per_s, 0.2, 1e-12);
  EXPECT_FALSE(o.socket_wait.has_value());

  // --kernel-timestamps: the waits of every token event, in one distribution.
  rs[0].event_socket_waits_ns = {10'000, 20'000, 30'000, 40'000};
  rs[1].event_socket_waits_ns = {1'000'000, 0};
  s.kernel_timestamps = true;
  ClientOverhead::SocketWait w = *Aggregate(rs, s).client_overhead.socket_wait;
  EXPECT_NEAR(w.mean, 1.1 / 6, 1e-12);
  EXPECT_NEAR(w.median, 0.025, 1e-12);
  EXPECT_NEAR(w.p99, 0.04 + 0.95 * 0.96, 1e-12);  // between 0.04 and 1 ms: rank 4.95 of 0..5
  EXPECT_NEAR(w.max, 1.0, 1e-12);
}

TEST(Aggregate, CacheReportSumsNativeCountsAndTheSplit) {
  std::vector<RequestRecord> rs = Recorded();
  rs[0].cached_tokens = 40;  // native count
  rs[1].cached_tokens_details = RequestRecord::CachedTokensDetails{10, 5, 3, "mooncake"};
  rs[2].cached_tokens = 70;  // failed: not counted
  RunSettings s = Settings(Compat::kNone);
  EXPECT_FALSE(Aggregate(rs, s).cache_report.has_value());
  s.cache_report = true;
  CacheReport c = *Aggregate(rs, s).cache_report;
  EXPECT_EQ(c.total_prompt_tokens, 200);
  EXPECT_EQ(c.total_cached_tokens, 58);  // 40 + 10 + 5 + 3
  EXPECT_NEAR(c.cache_hit_rate_pct, 29.0, 1e-12);
  EXPECT_EQ(c.device_cached_tokens, 10);
  EXPECT_EQ(c.host_cached_tokens, 5);
  EXPECT_EQ(c.storage_cached_tokens, 3);
  EXPECT_EQ(c.storage_backend, "mooncake");
}

TEST(SummarizeWarmup, CountsAndMeans) {
  std::vector<RequestRecord> warmup{Make(-50, -50, {{-40, 1}}, -30),
                                    Make(-50, -50, {{-20, 1}}, -10)};
  warmup.push_back(Make(-50, -50, {}, 0));
  warmup.back().Fail(RequestStatus::kHttpStatus, Ns(-45), "503");
  WarmupSummary w = SummarizeWarmup(warmup, MeasurementRules{});
  EXPECT_EQ(w.sent, 3);
  EXPECT_EQ(w.succeeded, 2);
  EXPECT_NEAR(w.mean_ttft_ms, 20, 1e-9);         // 10 and 30
  EXPECT_NEAR(w.mean_e2e_latency_ms, 30, 1e-9);  // 20 and 40
}

}  // namespace
}  // namespace servebench::metrics
