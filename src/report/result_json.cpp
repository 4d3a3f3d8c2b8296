#include "report/result_json.h"

#include <cmath>

#include "metrics/request_figures.h"
#include "report/json_writer.h"
#include "report/result_keys.h"

namespace servebench::report {

namespace {

using metrics::PercentileLabel;
using metrics::PercentileOf;
using metrics::Summary;

constexpr double kNsPerS = 1e9;

// mean_/median_/std_/p{P}_ keys of one metric, SGLang style (no max).
void SglangStats(JsonWriter& w, const RunInfo& info, std::string_view name, const Summary& s) {
  w.Key(fmt::format("mean_{}_ms", name)).Double(s.mean);
  w.Key(fmt::format("median_{}_ms", name)).Double(s.median);
  w.Key(fmt::format("std_{}_ms", name)).Double(s.std);
  for (double p : info.percentiles) {
    w.Key(fmt::format("p{}_{}_ms", PercentileLabel(p), name)).Double(PercentileOf(s, p));
  }
}

void FullStats(JsonWriter& w, const RunInfo& info, std::string_view name, const Summary& s) {
  SglangStats(w, info, name, s);
  w.Key(fmt::format("max_{}_ms", name)).Double(s.max);
}

void ClientStats(JsonWriter& w, std::string_view name, const Summary& s) {
  w.Key(fmt::format("mean_{}_ms", name)).Double(s.mean);
  w.Key(fmt::format("median_{}_ms", name)).Double(s.median);
  w.Key(fmt::format("p99_{}_ms", name)).Double(PercentileOf(s, 99));
  w.Key(fmt::format("max_{}_ms", name)).Double(s.max);
}

void OptionalDouble(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  if (v) w.Key(key).Double(*v);
}

double Seconds(int64_t ns) {
  return static_cast<double>(ns) / kNsPerS;
}

// servebench's `calibration` key (beyond.md 2; the spec names no keys for it).
void CalibrationObject(JsonWriter& w, const metrics::Calibration& c) {
  w.Key("calibration").BeginObject();
  w.Key("seconds").Double(c.seconds);
  w.Key("requests").Int(c.requests);
  w.Key("token_events").Int(c.token_events);
  w.Key("send_lag_p99_ms").Double(c.send_lag_p99_ms);
  w.Key("events_per_s").Double(c.events_per_s);
  w.Key("planned_events_per_s").Double(c.planned_events_per_s);
  w.Key("warning").Bool(c.warning);
  w.EndObject();
}

void Details(JsonWriter& w, std::span<const metrics::RequestRecord> records,
             const metrics::MeasurementRules& rules, bool cache_report) {
  using R = const metrics::RequestRecord&;
  using F = const metrics::RequestFigures&;
  PerRequestArrays arrays(w, records, rules);
  arrays.Array("input_lens",
               [&](R r, F f) { w.Int(r.prompt_tokens_server.value_or(f.input_tokens)); });
  arrays.OutputLens();
  arrays.Ttfts();
  arrays.Itls();
  arrays.GeneratedTexts();
  arrays.Errors();
  if (cache_report) {
    arrays.Array("cached_tokens", [&](R r, F) {
      const auto& d = r.cached_tokens_details;
      d ? w.Int(d->device + d->host + d->storage) : w.Int(r.cached_tokens);
    });
    arrays.Array("cached_tokens_details", [&](R r, F) {
      const auto& d = r.cached_tokens_details;
      if (!d) {
        w.Null();
        return;
      }
      w.BeginObject().Key("device").Int(d->device).Key("host").Int(d->host);
      w.Key("storage").Int(d->storage).Key("storage_backend").String(d->storage_backend);
      w.EndObject();
    });
  }
  arrays.Array("request_ids", [&](R r, F) { w.String(r.request_id); });
  arrays.Array("sessions", [&](R r, F) { r.session ? w.Int(*r.session) : w.Null(); });
  arrays.Array("rounds", [&](R r, F) { r.round ? w.Int(*r.round) : w.Null(); });
  arrays.Array("statuses", [&](R, F f) {
    w.String(metrics::StatusName(f.success ? metrics::RequestStatus::kOk : f.status));
  });
  arrays.Array("http_statuses", [&](R r, F) { w.Int(r.http_status); });
  arrays.Array("finish_reasons", [&](R r, F) { w.String(r.finish_reason); });
  arrays.Array("scheduled_times", [&](R r, F) { w.Double(Seconds(r.scheduled_time)); });
  arrays.Array("admit_times", [&](R r, F) { w.Double(Seconds(r.admit_time)); });
  arrays.Array("start_times", [&](R r, F) { w.Double(Seconds(r.send_time)); });
  arrays.Array("slot_waits", [&](R r, F) { w.Double(Seconds(r.slot_wait())); });
  arrays.Array("send_lags", [&](R r, F) { w.Double(Seconds(r.send_lag())); });
  arrays.Array("e2e_latencies", [&](R, F f) { w.Double(Seconds(f.e2e_ns)); });
  arrays.Array("sched_ttfts",
               [&](R, F f) { f.sched_ttft_ns ? w.Double(Seconds(*f.sched_ttft_ns)) : w.Null(); });
  arrays.Array("sched_e2e_latencies", [&](R, F f) { w.Double(Seconds(f.sched_e2e_ns)); });
  arrays.Array("input_lens_dataset", [&](R r, F) { w.Int(r.prompt_tokens_dataset); });
  arrays.Array("output_lens_requested", [&](R r, F) { w.Int(r.output_tokens_requested); });
  arrays.Array("output_lens_server", [&](R r, F) { w.Int(r.output_tokens_server); });
  arrays.Array("output_lens_retokenized", [&](R r, F) { w.Int(r.output_tokens_retokenized); });
  arrays.Array("token_events", [&](R r, F) { w.Int(static_cast<int64_t>(r.token_events())); });
  arrays.Array("event_tokens", [&](R r, F) {
    w.BeginArray();
    for (int32_t n : r.event_tokens)
      n == metrics::kUnknownTokens ? w.Null() : w.Int(n);
    w.EndArray();
  });
  arrays.Array("connection_reused", [&](R r, F) { w.Bool(r.connection_reused); });
  arrays.Array("bytes_received", [&](R r, F) { w.Int(r.bytes_received); });
}

}  // namespace

std::string RenderResultLine(const RunInfo& info, const metrics::RunMetrics& m,
                             std::span<const metrics::RequestRecord> details,
                             const metrics::MeasurementRules& rules) {
  JsonWriter w(info.compat == metrics::Compat::kSglang ? InfinityStyle::kBareToken
                                                       : InfinityStyle::kString);
  w.BeginObject();
  // SGLang's keys.
  info.tag ? w.Key("tag").String(*info.tag) : w.Key("tag").Null();
  w.Key("backend").String(info.backend);
  w.Key("dataset_name").String(info.dataset_name);
  w.Key("request_rate");
  info.trace_timing ? w.String("trace") : w.Double(info.request_rate);
  w.Key("max_concurrency").Int(info.max_concurrency);
  w.Key("sharegpt_output_len").Int(info.sharegpt_output_len);
  w.Key("random_input_len").Int(info.random_input_len);
  w.Key("random_output_len").Int(info.random_output_len);
  w.Key("random_range_ratio").Double(info.random_range_ratio);
  w.Key("server_info");
  info.server_info_json ? w.Raw(*info.server_info_json) : w.Null();
  w.Key("duration").Double(m.duration_s);
  w.Key("completed").Int(m.completed);
  w.Key("total_input_tokens").Int(m.total_input_tokens);
  w.Key("total_input_text_tokens").Int(m.total_input_text_tokens);
  w.Key("total_input_vision_tokens").Int(m.total_input_vision_tokens);
  w.Key("total_output_tokens").Int(m.total_output_tokens);
  w.Key("total_output_tokens_retokenized").Int(m.total_output_tokens_retokenized);
  w.Key("request_throughput").Double(m.request_throughput);
  w.Key("input_throughput").Double(m.input_throughput);
  w.Key("output_throughput").Double(m.output_throughput);
  w.Key("total_throughput").Double(m.total_throughput);
  SglangStats(w, info, "e2e_latency", m.e2e);
  SglangStats(w, info, "ttft", m.ttft);
  SglangStats(w, info, "tpot", m.tpot);
  SglangStats(w, info, "itl", m.itl);
  w.Key("concurrency").Double(m.concurrency);
  w.Key("accept_length").Double(info.accept_length);
  w.Key("max_output_tokens_per_s").Double(m.max_output_tokens_per_s);
  w.Key("max_concurrent_requests").Int(m.max_concurrent_requests);
  if (const auto& c = m.cache_report) {
    w.Key("cache_report").BeginObject();
    w.Key("total_prompt_tokens").Int(c->total_prompt_tokens);
    w.Key("total_cached_tokens").Int(c->total_cached_tokens);
    w.Key("cache_hit_rate_pct").Double(c->cache_hit_rate_pct);
    w.Key("device_cached_tokens").Int(c->device_cached_tokens);
    w.Key("host_cached_tokens").Int(c->host_cached_tokens);
    w.Key("storage_cached_tokens").Int(c->storage_cached_tokens);
    w.Key("storage_backend");
    c->storage_backend ? w.String(*c->storage_backend) : w.Null();
    w.EndObject();
  }

  // servebench's keys.
  w.Key("servebench_version").String(info.servebench_version);
  w.Key("date").String(info.date);
  w.Key("start_unix_ns").Int(info.start_unix_ns);
  w.Key("command_line").BeginArray();
  for (const std::string& arg : info.command_line)
    w.String(arg);
  w.EndArray();
  w.Key("compat");
  info.compat == metrics::Compat::kNone ? w.Null() : w.String(metrics::CompatName(info.compat));
  w.Key("seed").Int(static_cast<int64_t>(info.seed));
  w.Key("model_id").String(info.model_id);
  w.Key("tokenizer_id").String(info.tokenizer_id);
  w.Key("base_url").String(info.base_url);
  w.Key("endpoint").String(info.endpoint);
  w.Key("num_prompts").Int(info.num_prompts);
  w.Key("burstiness").Double(info.burstiness);
  w.Key("closed_loop_concurrency").Int(info.closed_loop_concurrency);
  w.Key("failed").Int(m.failed);
  w.Key("failures_by_reason").BeginObject();
  for (const auto& [reason, count] : m.failures_by_reason) {
    w.Key(metrics::StatusName(reason)).Int(count);
  }
  w.EndObject();
  w.Key("completed_without_tokens").Int(m.completed_without_tokens);
  w.Key("not_sent").Int(m.not_sent);
  w.Key("rounds_dropped").Int(m.rounds_dropped);
  w.Key("min_e2e_latency_ms").Double(m.e2e.min);
  w.Key("max_e2e_latency_ms").Double(m.e2e.max);
  w.Key("min_ttft_ms").Double(m.ttft.min);
  w.Key("max_ttft_ms").Double(m.ttft.max);
  w.Key("min_tpot_ms").Double(m.tpot.min);
  w.Key("max_tpot_ms").Double(m.tpot.max);
  w.Key("min_itl_ms").Double(m.itl.min);
  w.Key("max_itl_ms").Double(m.itl.max);
  FullStats(w, info, "itl_per_token", m.itl_per_token);
  FullStats(w, info, "sched_ttft", m.sched_ttft);
  FullStats(w, info, "sched_e2e_latency", m.sched_e2e);
  ClientStats(w, "send_lag", m.send_lag);
  ClientStats(w, "slot_wait", m.slot_wait);
  w.Key("rpm").Double(m.rpm);
  w.Key("request_goodput").Double(m.request_goodput);
  w.Key("goodput_fraction").Double(m.goodput_fraction);
  w.Key("goodput_config");
  if (info.goodput.empty()) {
    w.Null();
  } else {
    w.BeginObject();
    for (const auto& [key, ms] : info.goodput.bounds)
      w.Key(key).Double(ms);
    w.EndObject();
  }
  w.Key("scheduled_request_rate").Double(m.scheduled_request_rate);
  w.Key("achieved_request_rate").Double(m.achieved_request_rate);
  if (info.ramp_up) {
    WriteRampUpSettings(w, *info.ramp_up);
    WriteRpsChangeEvents(w, *info.ramp_up);
  }
  const metrics::TokenCountCheck& c = m.token_count_check;
  w.Key("token_count_check").BeginObject();
  w.Key("output_token_source").BeginObject();
  w.Key("server").Int(c.source_server).Key("retokenized").Int(c.source_retokenized);
  w.EndObject();
  w.Key("usage_vs_retokenized_mismatch").Int(c.usage_vs_retokenized_mismatch);
  w.Key("usage_vs_retokenized_abs_diff_sum").Int(c.usage_vs_retokenized_abs_diff_sum);
  w.Key("usage_vs_retokenized_abs_diff_max").Int(c.usage_vs_retokenized_abs_diff_max);
  w.Key("usage_short_of_requested").Int(c.usage_short_of_requested);
  w.Key("tokens_per_event_mean").Double(c.tokens_per_event_mean);
  w.Key("events_vs_usage_mismatch").Int(c.events_vs_usage_mismatch);
  w.EndObject();
  w.Key("event_token_source").BeginObject();
  w.Key("server").Int(m.event_token_source[0]);
  w.Key("tokenizer").Int(m.event_token_source[1]);
  w.Key("unknown").Int(m.event_token_source[2]);
  w.EndObject();
  w.Key("samples").BeginObject();
  w.Key("ttft").Int(static_cast<int64_t>(m.ttft.count));
  w.Key("itl").Int(static_cast<int64_t>(m.itl.count));
  w.Key("itl_per_token").Int(static_cast<int64_t>(m.itl_per_token.count));
  w.Key("tpot").Int(static_cast<int64_t>(m.tpot.count));
  w.Key("e2e").Int(static_cast<int64_t>(m.e2e.count));
  w.EndObject();
  const metrics::ClientOverhead& o = m.client_overhead;
  w.Key("client_overhead").BeginObject();
  w.Key("read_stamps").String(o.kernel_read_stamps ? "kernel" : "user");
  if (o.client_threads > 0) w.Key("client_threads").Int(o.client_threads);
  w.Key("send_lag_mean_ms").Double(o.send_lag_mean_ms);
  w.Key("send_lag_p99_ms").Double(o.send_lag_p99_ms);
  OptionalDouble(w, "recv_to_parsed_mean_ms", o.recv_to_parsed_mean_ms);
  OptionalDouble(w, "recv_to_parsed_p99_ms", o.recv_to_parsed_p99_ms);
  OptionalDouble(w, "parse_ns_per_event", o.parse_ns_per_event);
  OptionalDouble(w, "events_per_s_per_thread", o.events_per_s_per_thread);
  OptionalDouble(w, "bytes_per_s_per_thread", o.bytes_per_s_per_thread);
  OptionalDouble(w, "cpu_seconds_per_s", o.cpu_seconds_per_s);
  if (o.socket_wait) {
    w.Key("socket_wait_mean_ms").Double(o.socket_wait->mean);
    w.Key("socket_wait_median_ms").Double(o.socket_wait->median);
    w.Key("socket_wait_p99_ms").Double(o.socket_wait->p99);
    w.Key("socket_wait_max_ms").Double(o.socket_wait->max);
  }
  w.EndObject();
  if (info.spec_decode) WriteSpecDecode(w, *info.spec_decode);
  w.Key("server_metrics_delta");
  info.server_metrics_delta_json ? w.Raw(*info.server_metrics_delta_json) : w.Null();
  w.Key("warmup").BeginObject();
  w.Key("sent").Int(info.warmup.sent);
  w.Key("succeeded").Int(info.warmup.succeeded);
  w.Key("mean_ttft_ms").Double(info.warmup.mean_ttft_ms);
  w.Key("mean_e2e_latency_ms").Double(info.warmup.mean_e2e_latency_ms);
  w.EndObject();
  w.Key("cache_flushed");
  info.cache_flushed ? w.Bool(*info.cache_flushed) : w.Null();
  w.Key("run_valid").Bool(m.run_valid);
  w.Key("validity_issues").BeginArray();
  for (const std::string& issue : m.validity_issues)
    w.String(issue);
  w.EndArray();
  w.Key("interrupted").Bool(info.interrupted);
  if (info.calibration) CalibrationObject(w, *info.calibration);
  if (!details.empty()) Details(w, details, rules, m.cache_report.has_value());
  w.EndObject();
  return w.str();
}

}  // namespace servebench::report
