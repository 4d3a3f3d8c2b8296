#include "metrics/aggregate.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "metrics/peaks.h"

namespace servebench::metrics {

namespace {

constexpr double kNsPerMs = 1e6;
constexpr double kNsPerS = 1e9;

double Ms(int64_t ns) {
  return static_cast<double>(ns) / kNsPerMs;
}

std::vector<double> ToMs(std::vector<double> ns) {
  for (double& x : ns)
    x /= kNsPerMs;
  return ns;
}

double PerSecond(double amount, double duration_s) {
  return duration_s > 0 ? amount / duration_s : 0;
}

// The token arrivals the peak-throughput buckets count (metrics.md §9 and §12).
PeakInput PeakInputOf(const RequestRecord& r, const RequestFigures& f,
                      const MeasurementRules& rules) {
  PeakInput p{r.send_time, f.e2e_ns, {}, {}};
  bool per_event = rules.compat == Compat::kSglang || rules.compat == Compat::kVllm;
  if (rules.compat == Compat::kSglang && rules.api == ApiStyle::kSglangNative && f.ttft_ns) {
    // SGLang places one token at a + TTFT and one after each per-token ITL entry.
    std::vector<double> itl;
    AppendItlPerToken(r, itl);
    double t = static_cast<double>(r.send_time + *f.ttft_ns);
    p.token_times.push_back(static_cast<int64_t>(t));
    for (double gap : itl) {
      t += gap;
      p.token_times.push_back(static_cast<int64_t>(t));
    }
    p.token_counts.assign(p.token_times.size(), 1);
    return p;
  }
  p.token_times = r.event_times;
  p.token_counts.reserve(r.event_tokens.size());
  for (int32_t n : r.event_tokens) {
    p.token_counts.push_back(per_event || n == kUnknownTokens ? 1 : n);
  }
  return p;
}

void CheckValidity(const RunSettings& settings, RunMetrics& m) {
  double p99_lag = PercentileOf(m.send_lag, 99);
  if (m.send_lag.count > 0 && p99_lag > settings.max_send_lag_ms) {
    m.validity_issues.push_back(
        fmt::format("p99 send lag {:.2f} ms > {:.2f} ms", p99_lag, settings.max_send_lag_ms));
  }
  if (settings.interrupted) m.validity_issues.push_back("interrupted");
  if (settings.finite_rate_open_loop && !settings.max_concurrency_set && m.scheduled_request_rate &&
      m.achieved_request_rate && *m.achieved_request_rate < 0.99 * *m.scheduled_request_rate) {
    m.validity_issues.push_back(fmt::format(
        "achieved request rate {:.2f} req/s is more than 1% below the scheduled {:.2f} req/s",
        *m.achieved_request_rate, *m.scheduled_request_rate));
  }
  m.run_valid = m.validity_issues.empty();
}

// (N - 1) / (last - first) over the given instants; absent with fewer than two or no span.
std::optional<double> RateOver(std::vector<int64_t> times) {
  if (times.size() < 2) return std::nullopt;
  auto [lo, hi] = std::minmax_element(times.begin(), times.end());
  if (*hi == *lo) return std::nullopt;
  return static_cast<double>(times.size() - 1) / (static_cast<double>(*hi - *lo) / kNsPerS);
}

ClientOverhead MeasureOverhead(std::span<const RequestRecord> records, const RunSettings& settings,
                               const RunMetrics& m) {
  ClientOverhead o;
  o.send_lag_mean_ms = m.send_lag.mean;
  o.send_lag_p99_ms = PercentileOf(m.send_lag, 99);
  std::vector<double> recv_to_parsed, socket_waits;
  int64_t events = 0, bytes = 0, parse_ns = 0;
  for (const RequestRecord& r : records) {
    events += static_cast<int64_t>(r.token_events());
    bytes += r.bytes_received;
    parse_ns += r.parse_ns;
    if (r.token_events() > 0 && r.parse_ns > 0)
      recv_to_parsed.push_back(Ms(r.max_recv_to_parsed_ns));
    for (int32_t wait : r.event_socket_waits_ns)
      socket_waits.push_back(Ms(wait));
  }
  o.kernel_read_stamps = settings.kernel_timestamps;
  o.client_threads = settings.client_threads;
  if (settings.kernel_timestamps && !socket_waits.empty()) {
    Summary w = Summarize(std::move(socket_waits), std::vector<double>{99});
    o.socket_wait = ClientOverhead::SocketWait{w.mean, w.median, PercentileOf(w, 99), w.max};
  }
  if (!recv_to_parsed.empty()) {
    Summary s = Summarize(std::move(recv_to_parsed), std::vector<double>{99});
    o.recv_to_parsed_mean_ms = s.mean;
    o.recv_to_parsed_p99_ms = PercentileOf(s, 99);
  }
  if (parse_ns > 0 && events > 0) {
    o.parse_ns_per_event = static_cast<double>(parse_ns) / static_cast<double>(events);
  }
  if (settings.client_threads > 0 && m.duration_s > 0) {
    double per_thread = m.duration_s * static_cast<double>(settings.client_threads);
    o.events_per_s_per_thread = static_cast<double>(events) / per_thread;
    o.bytes_per_s_per_thread = static_cast<double>(bytes) / per_thread;
  }
  if (settings.client_cpu_seconds && m.duration_s > 0) {
    o.cpu_seconds_per_s = *settings.client_cpu_seconds / m.duration_s;
  }
  return o;
}

CacheReport MeasureCache(std::span<const RequestRecord> records,
                         std::span<const RequestFigures> figures) {
  CacheReport c;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!figures[i].success) continue;
    const RequestRecord& r = records[i];
    c.total_prompt_tokens += figures[i].input_tokens;
    if (const auto& d = r.cached_tokens_details) {
      c.total_cached_tokens += d->device + d->host + d->storage;
      c.device_cached_tokens = c.device_cached_tokens.value_or(0) + d->device;
      c.host_cached_tokens = c.host_cached_tokens.value_or(0) + d->host;
      c.storage_cached_tokens = c.storage_cached_tokens.value_or(0) + d->storage;
      if (!c.storage_backend && !d->storage_backend.empty()) c.storage_backend = d->storage_backend;
    } else {
      c.total_cached_tokens += r.cached_tokens.value_or(0);
    }
  }
  if (c.total_prompt_tokens > 0) {
    c.cache_hit_rate_pct = 100.0 * static_cast<double>(c.total_cached_tokens) /
                           static_cast<double>(c.total_prompt_tokens);
  }
  return c;
}

}  // namespace

RunMetrics Aggregate(std::span<const RequestRecord> records, const RunSettings& settings) {
  const MeasurementRules& rules = settings.rules;
  const std::vector<double> lag_percentiles{50, 99};
  RunMetrics m;
  m.not_sent = settings.not_sent;
  m.rounds_dropped = settings.rounds_dropped;

  std::vector<RequestFigures> figures;
  figures.reserve(records.size());
  std::vector<double> e2e, ttft, tpot, itl, itl_per_token, sched_ttft, sched_e2e, send_lag,
      slot_wait;
  std::vector<PeakInput> peaks;
  std::vector<int64_t> scheduled_times, send_times;
  std::vector<int64_t> failures(static_cast<size_t>(RequestStatus::kCancelled) + 1, 0);
  int64_t end_max = 0, good = 0;
  double e2e_sum_ns = 0;

  for (size_t i = 0; i < records.size(); ++i) {
    const RequestRecord& r = records[i];
    const RequestFigures& f = figures.emplace_back(ComputeFigures(r, rules));
    end_max = std::max(end_max, r.end_time.value_or(0));
    send_lag.push_back(static_cast<double>(r.send_lag()));
    slot_wait.push_back(static_cast<double>(r.slot_wait()));
    scheduled_times.push_back(r.scheduled_time);
    send_times.push_back(r.send_time);
    if (!f.success) {
      ++m.failed;
      ++failures[static_cast<size_t>(f.status)];
      continue;
    }
    ++m.completed;
    m.total_input_tokens += f.input_tokens;
    m.total_input_vision_tokens += f.input_vision_tokens;
    m.total_input_text_tokens += std::max<int64_t>(f.input_tokens - f.input_vision_tokens, 0);
    m.total_output_tokens += f.output_tokens;
    m.total_output_tokens_retokenized += r.output_tokens_retokenized.value_or(0);
    ++m.event_token_source[static_cast<size_t>(r.event_token_source)];
    e2e.push_back(static_cast<double>(f.e2e_ns));
    sched_e2e.push_back(static_cast<double>(f.sched_e2e_ns));
    e2e_sum_ns += static_cast<double>(f.e2e_ns);
    if (f.ttft_ns) {
      ttft.push_back(static_cast<double>(*f.ttft_ns));
      sched_ttft.push_back(static_cast<double>(*f.sched_ttft_ns));
      if (f.tpot_ns) tpot.push_back(*f.tpot_ns);
      AppendItl(r, rules, itl);
      AppendItlPerToken(r, itl_per_token);
    } else {
      ++m.completed_without_tokens;
    }
    if (rules.compat != Compat::kLmdeploy) peaks.push_back(PeakInputOf(r, f, rules));
    if (!settings.goodput.empty()) {
      GoodputValues v;
      if (f.ttft_ns) v.ttft_ms = Ms(*f.ttft_ns);
      if (f.sched_ttft_ns) v.sched_ttft_ms = Ms(*f.sched_ttft_ns);
      if (f.output_tokens <= 1) {
        v.tpot_ms = 0;
      } else if (f.tpot_ns) {
        v.tpot_ms = *f.tpot_ns / kNsPerMs;
      }
      v.e2el_ms = Ms(f.e2e_ns);
      v.sched_e2el_ms = Ms(f.sched_e2e_ns);
      if (MeetsGoodput(settings.goodput, v)) ++good;
    }
  }
  for (size_t k = 0; k < failures.size(); ++k) {
    if (failures[k] > 0)
      m.failures_by_reason.emplace_back(static_cast<RequestStatus>(k), failures[k]);
  }

  m.duration_s = static_cast<double>(end_max) / kNsPerS;
  double d = m.duration_s;
  m.request_throughput = PerSecond(static_cast<double>(m.completed), d);
  m.input_throughput = PerSecond(static_cast<double>(m.total_input_tokens), d);
  m.output_throughput = PerSecond(static_cast<double>(m.total_output_tokens), d);
  m.total_throughput =
      PerSecond(static_cast<double>(m.total_input_tokens + m.total_output_tokens), d);
  m.concurrency = PerSecond(e2e_sum_ns / kNsPerS, d);
  m.rpm = 60 * m.request_throughput;

  const auto& p = settings.percentiles;
  m.e2e = Summarize(ToMs(std::move(e2e)), p);
  m.ttft = Summarize(ToMs(std::move(ttft)), p);
  m.tpot = Summarize(ToMs(std::move(tpot)), p);
  m.itl = Summarize(ToMs(std::move(itl)), p);
  m.itl_per_token = Summarize(ToMs(std::move(itl_per_token)), p);
  m.sched_ttft = Summarize(ToMs(std::move(sched_ttft)), p);
  m.sched_e2e = Summarize(ToMs(std::move(sched_e2e)), p);
  m.send_lag = Summarize(ToMs(std::move(send_lag)), lag_percentiles);
  m.slot_wait = Summarize(ToMs(std::move(slot_wait)), lag_percentiles);

  if (rules.compat != Compat::kLmdeploy) {
    m.max_output_tokens_per_s = PeakOutputTokensPerSecond(peaks);
    m.max_concurrent_requests = rules.compat == Compat::kSglang ? PeakConcurrencyBuckets(peaks)
                                                                : PeakConcurrencySweep(peaks);
  }
  if (!settings.goodput.empty()) {
    m.request_goodput = PerSecond(static_cast<double>(good), d);
    int64_t sent = m.completed + m.failed;
    m.goodput_fraction = sent > 0 ? static_cast<double>(good) / static_cast<double>(sent) : 0;
  }
  if (settings.finite_rate_open_loop) {
    m.scheduled_request_rate = RateOver(std::move(scheduled_times));
    m.achieved_request_rate = RateOver(std::move(send_times));
  }
  m.token_count_check = CheckTokenCounts(records, figures);
  if (settings.cache_report) m.cache_report = MeasureCache(records, figures);
  m.client_overhead = MeasureOverhead(records, settings, m);
  CheckValidity(settings, m);
  return m;
}

WarmupSummary SummarizeWarmup(std::span<const RequestRecord> warmup,
                              const MeasurementRules& rules) {
  WarmupSummary w;
  double ttft_sum = 0, e2e_sum = 0;
  int64_t ttft_count = 0;
  for (const RequestRecord& r : warmup) {
    ++w.sent;
    RequestFigures f = ComputeFigures(r, rules);
    if (!f.success) continue;
    ++w.succeeded;
    e2e_sum += Ms(f.e2e_ns);
    if (f.ttft_ns) {
      ttft_sum += Ms(*f.ttft_ns);
      ++ttft_count;
    }
  }
  if (w.succeeded > 0) w.mean_e2e_latency_ms = e2e_sum / static_cast<double>(w.succeeded);
  if (ttft_count > 0) w.mean_ttft_ms = ttft_sum / static_cast<double>(ttft_count);
  return w;
}

}  // namespace servebench::metrics
