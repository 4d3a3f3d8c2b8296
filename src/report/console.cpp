#include "report/console.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/json_writer.h"

namespace servebench::report {

namespace {

using metrics::Compat;
using metrics::PercentileLabel;
using metrics::Summary;

constexpr int kWidth = 50;

void Title(std::string& out) {
  out += fmt::format("\n{:=^50}\n", " Serving Benchmark Result ");
}
void Section(std::string& out, std::string_view name) {
  out += fmt::format("{:-^50}\n", name);
}
void Closing(std::string& out) {
  out += std::string(kWidth, '=') + "\n";
}

void Line(std::string& out, std::string_view label, std::string_view value) {
  out += fmt::format("{:<40} {:<10}\n", label, value);
}
void Line(std::string& out, std::string_view label, int64_t value) {
  Line(out, label, fmt::format("{}", value));
}
void Float(std::string& out, std::string_view label, double value) {
  Line(out, label, fmt::format("{:.2f}", value));
}

bool Wanted(const RunInfo& info, std::string_view metric) {
  return std::find(info.percentile_metrics.begin(), info.percentile_metrics.end(), metric) !=
         info.percentile_metrics.end();
}

struct Block {
  std::string_view metric;   // --percentile-metrics name
  std::string_view section;  // section title
  std::string_view label;    // "E2E Latency", "TTFT", ...
  const Summary* summary;
};

// Mean, Median, [Std], P<P>..., [Max] lines of one latency block.
void StatLines(std::string& out, const RunInfo& info, const Block& b, bool std_line,
               bool max_line) {
  Float(out, fmt::format("Mean {} (ms):", b.label), b.summary->mean);
  Float(out, fmt::format("Median {} (ms):", b.label), b.summary->median);
  if (std_line) Float(out, fmt::format("Std {} (ms):", b.label), b.summary->std);
  for (double p : info.percentiles) {
    Float(out, fmt::format("P{} {} (ms):", PercentileLabel(p), b.label),
          metrics::PercentileOf(*b.summary, p));
  }
  if (max_line) Float(out, fmt::format("Max {} (ms):", b.label), b.summary->max);
}

// The highest listed percentile (P99 by default) for servebench's short blocks.
double TopPercentile(const RunInfo& info) {
  return info.percentiles.empty() ? 99 : info.percentiles.back();
}

void ServebenchBlocks(std::string& out, const RunInfo& info, const metrics::RunMetrics& m) {
  double top = TopPercentile(info);
  std::string p = PercentileLabel(top);
  Section(out, "Scheduled Latency (CO-aware)");
  Float(out, "Mean Sched TTFT (ms):", m.sched_ttft.mean);
  Float(out, fmt::format("P{} Sched TTFT (ms):", p), metrics::PercentileOf(m.sched_ttft, top));
  Float(out, "Mean Sched E2E Latency (ms):", m.sched_e2e.mean);
  Float(out, fmt::format("P{} Sched E2E Latency (ms):", p),
        metrics::PercentileOf(m.sched_e2e, top));

  Section(out, "Client Send Lag");
  Float(out, "Median send lag (ms):", m.send_lag.median);
  Float(out, "P99 send lag (ms):", metrics::PercentileOf(m.send_lag, 99));
  Float(out, "Max send lag (ms):", m.send_lag.max);
  if (info.max_concurrency) {
    Float(out, "Mean slot wait (ms):", m.slot_wait.mean);
    Float(out, "P99 slot wait (ms):", metrics::PercentileOf(m.slot_wait, 99));
  }
  if (m.client_overhead.recv_to_parsed_p99_ms) {
    Float(out, "Client overhead (p99 recv->parsed, ms):", *m.client_overhead.recv_to_parsed_p99_ms);
  }
  Line(out, "Read stamps:", m.client_overhead.kernel_read_stamps ? "kernel" : "user space");
  if (const auto& wait = m.client_overhead.socket_wait) {
    // Kernel read stamps: how long token bytes waited in the socket for the client (already
    // removed from TTFT and ITL).
    Float(out, "Median socket wait (ms):", wait->median);
    Float(out, "P99 socket wait (ms):", wait->p99);
  }

  const metrics::TokenCountCheck& c = m.token_count_check;
  Section(out, "Token Count Check");
  Line(out, "Requests counted by server usage:", c.source_server);
  Line(out, "Requests counted by re-tokenizing:", c.source_retokenized);
  Line(out, "Usage vs re-tokenized mismatches:", c.usage_vs_retokenized_mismatch);
  Line(out, "Max usage vs re-tokenized diff:", c.usage_vs_retokenized_abs_diff_max);
  Float(out, "Tokens per event (mean):", c.tokens_per_event_mean);

  Section(out, "Run Summary");
  Line(out, "Failed requests:", m.failed);
  for (const auto& [reason, count] : m.failures_by_reason) {
    Line(out, fmt::format("  {}:", metrics::StatusName(reason)), count);
  }
  if (m.request_goodput) {
    Float(out, "Request goodput (req/s):", *m.request_goodput);
    Float(out, "Goodput fraction (%):", 100 * m.goodput_fraction.value_or(0));
  }
  if (m.scheduled_request_rate) {
    Float(out, "Scheduled request rate (req/s):", *m.scheduled_request_rate);
  }
  if (m.achieved_request_rate) {
    Float(out, "Achieved request rate (req/s):", *m.achieved_request_rate);
  }
  std::string validity = "valid";
  if (!m.run_valid) {
    validity = "INVALID: ";
    for (size_t i = 0; i < m.validity_issues.size(); ++i) {
      validity += (i ? "; " : "") + m.validity_issues[i];
    }
  }
  Line(out, "Run validity:", validity);
}

void CacheBlock(std::string& out, const RunInfo& info, const metrics::CacheReport& c) {
  Section(out, "Cache Hit Details");
  Line(out, "Total prompt tokens:", c.total_prompt_tokens);
  Line(out, "Total cached tokens:", c.total_cached_tokens);
  if (c.device_cached_tokens) {
    Line(out, "  Device:", *c.device_cached_tokens);
    Line(out, "  Host:", c.host_cached_tokens.value_or(0));
    Line(out, fmt::format("  Storage ({}):", c.storage_backend.value_or(info.backend)),
         c.storage_cached_tokens.value_or(0));
  }
  Line(out, "Cache hit rate:", fmt::format("{:.1f}%", c.cache_hit_rate_pct));
}

std::string SglangLayout(const RunInfo& info, const metrics::RunMetrics& m, bool servebench) {
  std::string out;
  Title(out);
  Line(out, "Backend:", info.backend);
  Line(out, "Traffic request rate:", RequestRateText(info));
  Line(out, "Max request concurrency:",
       info.max_concurrency ? fmt::format("{}", *info.max_concurrency) : "not set");
  Line(out, "Successful requests:", m.completed);
  Float(out, "Benchmark duration (s):", m.duration_s);
  Line(out, "Total input tokens:", m.total_input_tokens);
  Line(out, "Total input text tokens:", m.total_input_text_tokens);
  if (info.show_vision_tokens) Line(out, "Total input vision tokens:", m.total_input_vision_tokens);
  Line(out, "Total generated tokens:", m.total_output_tokens);
  Line(out, "Total generated tokens (retokenized):", m.total_output_tokens_retokenized);
  Float(out, "Request throughput (req/s):", m.request_throughput);
  Float(out, "Input token throughput (tok/s):", m.input_throughput);
  Float(out, "Output token throughput (tok/s):", m.output_throughput);
  Float(out, "Peak output token throughput (tok/s):", m.max_output_tokens_per_s.value_or(0));
  Line(out, "Peak concurrent requests:", m.max_concurrent_requests.value_or(0));
  Float(out, "Total token throughput (tok/s):", m.total_throughput);
  Float(out, "Concurrency:", m.concurrency);
  if (info.accept_length.value_or(0) > 0) Float(out, "Accept length:", *info.accept_length);
  const Block blocks[] = {
      {"e2el", "End-to-End Latency", "E2E Latency", &m.e2e},
      {"ttft", "Time to First Token", "TTFT", &m.ttft},
      {"tpot", "Time per Output Token (excl. 1st token)", "TPOT", &m.tpot},
      {"itl", "Inter-Token Latency", "ITL", &m.itl},
  };
  for (const Block& b : blocks) {
    if (!Wanted(info, b.metric)) continue;
    Section(out, b.section);
    bool itl = b.metric == "itl";
    StatLines(out, info, b, /*std_line=*/servebench, /*max_line=*/servebench || itl);
  }
  if (m.cache_report) CacheBlock(out, info, *m.cache_report);
  if (servebench) ServebenchBlocks(out, info, m);
  Closing(out);
  return out;
}

std::string VllmLayout(const RunInfo& info, const metrics::RunMetrics& m) {
  std::string out;
  Title(out);
  Line(out, "Successful requests:", m.completed);
  Line(out, "Failed requests:", m.failed);
  if (info.max_concurrency) Line(out, "Maximum request concurrency:", *info.max_concurrency);
  if (std::isfinite(info.request_rate) && !info.trace_timing) {
    Float(out, "Request rate configured (RPS):", info.request_rate);
  }
  Float(out, "Benchmark duration (s):", m.duration_s);
  Line(out, "Total input tokens:", m.total_input_tokens);
  Line(out, "Total generated tokens:", m.total_output_tokens);
  Float(out, "Request throughput (req/s):", m.request_throughput);
  if (m.request_goodput) Float(out, "Request goodput (req/s):", *m.request_goodput);
  Float(out, "Output token throughput (tok/s):", m.output_throughput);
  Float(out, "Peak output token throughput (tok/s):", m.max_output_tokens_per_s.value_or(0));
  Float(out,
        "Peak concurrent requests:", static_cast<double>(m.max_concurrent_requests.value_or(0)));
  Float(out, "Total token throughput (tok/s):", m.total_throughput);
  const Block blocks[] = {
      {"ttft", "Time to First Token", "TTFT", &m.ttft},
      {"tpot", "Time per Output Token (excl. 1st token)", "TPOT", &m.tpot},
      {"itl", "Inter-token Latency", "ITL", &m.itl},
      {"e2el", "End-to-end Latency", "E2EL", &m.e2e},
  };
  for (const Block& b : blocks) {
    if (!Wanted(info, b.metric)) continue;
    Section(out, b.section);
    StatLines(out, info, b, false, false);
  }
  if (info.spec_decode) {
    const SpecDecodeInfo& s = *info.spec_decode;
    Section(out, "Speculative Decoding");
    Float(out, "Acceptance rate (%):", s.acceptance_rate);
    Float(out, "Acceptance length:", s.acceptance_length);
    Line(out, "Drafts:", s.num_drafts);
    Line(out, "Draft tokens:", s.draft_tokens);
    Line(out, "Accepted tokens:", s.accepted_tokens);
    out += "Per-position acceptance (%):\n";
    for (size_t k = 0; k < s.per_position_acceptance_rates.size(); ++k) {
      Float(out, fmt::format("  Position {}:", k), 100 * s.per_position_acceptance_rates[k]);
    }
  }
  Closing(out);
  return out;
}

std::string LmdeployLayout(const RunInfo& info, const metrics::RunMetrics& m) {
  std::string out;
  Title(out);
  Line(out, "Backend:", info.backend);
  Line(out, "Traffic request rate:", RequestRateText(info));
  Line(out, "Successful requests:", m.completed);
  Float(out, "Benchmark duration (s):", m.duration_s);
  Line(out, "Total input tokens:", m.total_input_tokens);
  Line(out, "Total input text tokens:", m.total_input_text_tokens);
  Line(out, "Total input vision tokens:", m.total_input_vision_tokens);
  Line(out, "Total generated tokens:", m.total_output_tokens);
  Line(out, "Total generated tokens (retokenized):", m.total_output_tokens_retokenized);
  Float(out, "Request throughput (req/s):", m.request_throughput);
  Float(out, "Input token throughput (tok/s):", m.input_throughput);
  Float(out, "Output token throughput (tok/s):", m.output_throughput);
  Section(out, "End-to-End Latency");
  Float(out, "Mean E2E Latency (ms):", m.e2e.mean);
  Float(out, "Median E2E Latency (ms):", m.e2e.median);
  const Block blocks[] = {
      {"ttft", "Time to First Token", "TTFT", &m.ttft},
      {"tpot", "Time per Output Token (excl. 1st token)", "TPOT", &m.tpot},
      {"itl", "Inter-token Latency", "ITL", &m.itl},
  };
  RunInfo p99_only = info;
  p99_only.percentiles = {99};
  for (const Block& b : blocks) {
    Section(out, b.section);
    StatLines(out, p99_only, b, false, false);
  }
  Closing(out);
  return out;
}

}  // namespace

std::optional<std::string> TokenCountWarning(const metrics::RunMetrics& m) {
  const metrics::TokenCountCheck& c = m.token_count_check;
  if (!c.warn) return std::nullopt;
  std::string text = "Warning: token counts disagree:";
  if (c.usage_vs_retokenized_mismatch > 0) {
    text += fmt::format(
        " {} of {} successful requests report a usage count different from the "
        "re-tokenized output (max difference {});",
        c.usage_vs_retokenized_mismatch, m.completed, c.usage_vs_retokenized_abs_diff_max);
  }
  if (c.usage_short_of_requested > 0) {
    text += fmt::format(
        " {} requests got fewer tokens than the ignore-EOS length they asked for "
        "(the server did not honour ignore_eos);",
        c.usage_short_of_requested);
  }
  text.back() = '.';
  return text;
}

void ApplyCompatPrintDefaults(RunInfo& info, bool percentiles_given, bool metrics_given) {
  bool vllm = info.compat == Compat::kVllm;
  if (!percentiles_given) {
    info.percentiles = vllm ? std::vector<double>{99} : std::vector<double>{90, 95, 99};
  }
  if (!metrics_given) {
    info.percentile_metrics = vllm ? std::vector<std::string>{"ttft", "tpot", "itl"}
                                   : std::vector<std::string>{"ttft", "tpot", "itl", "e2el"};
  }
}

std::string RequestRateText(const RunInfo& info) {
  if (info.trace_timing) return "trace";
  if (std::isinf(info.request_rate)) return "inf";
  return PythonFloat(info.request_rate);
}

std::string RenderConsole(const RunInfo& info, const metrics::RunMetrics& m) {
  switch (info.compat) {
    case Compat::kNone:
      return SglangLayout(info, m, true);
    case Compat::kSglang:
      return SglangLayout(info, m, false);
    case Compat::kVllm:
      return VllmLayout(info, m);
    case Compat::kLmdeploy:
      return LmdeployLayout(info, m);
  }
  return {};
}

std::string RenderProfileThroughput(const RunInfo& info, const metrics::LmdeployThroughput& t,
                                    double cancel_rate) {
  std::string out = fmt::format("{:=^90}\n", " Profile Throughput ");
  auto row = [&](std::string_view label, std::string value) {
    out += fmt::format("{:<40}{:>10}\n", label, value);
  };
  auto f3 = [](double v) { return fmt::format("{:.3f}", v); };
  row("Benchmark duration", f3(t.duration_s));
  row("Total requests", fmt::format("{}", t.total_requests));
  row("Successful requests", fmt::format("{}", t.included));
  row("Concurrency", fmt::format("{}", info.closed_loop_concurrency.value_or(0)));
  row("Cancel rate", f3(cancel_rate));
  row("Stream output", info.stream ? "True" : "False");
  row("Skip tokenize", "False");
  row("Skip detokenize", "False");
  row("Total input tokens", fmt::format("{}", t.total_input_tokens));
  row("Total generated tokens", fmt::format("{}", t.total_output_tokens));
  row("Input throughput (tok/s)", f3(t.input_throughput));
  row("Output throughput (tok/s)", f3(t.output_throughput));
  row("Request throughput (req/s)", f3(t.request_throughput));
  out += std::string(90, '-') + "\n";
  out +=
      fmt::format("{:<40}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "", "mean", "P50", "P75", "P95", "P99");
  auto stats = [&](std::string_view label, const metrics::TickStats& s, bool integers) {
    auto v = [&](double x) { return integers ? fmt::format("{}", x) : f3(x); };
    out += fmt::format("{:<40}{:>10}{:>10}{:>10}{:>10}{:>10}\n", label, f3(s.mean), v(s.p50),
                       v(s.p75), v(s.p95), v(s.p99));
  };
  stats("End-to-end Latency", t.e2e, false);
  if (info.stream) {
    stats("Time to First Token (TTFT)", t.ttft, false);
    stats("Time per Output Token (TPOT)", t.tpot, false);
    stats("Inter-token Latency (ITL)", t.itl, false);
    stats("Tokens per Tick", t.tokens_per_tick, true);
  }
  out += std::string(90, '=') + "\n";
  return out;
}

std::string RenderSweepSummary(std::span<const SweepRow> rows) {
  std::string out = fmt::format(
      "{:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7}\n", "rate", "completed",
      "req/s", "out tok/s", "mean TTFT", "p99 TTFT", "mean ITL", "p99 ITL", "p99 E2E", "valid");
  for (const SweepRow& r : rows) {
    const metrics::RunMetrics& m = r.metrics;
    std::string rate = std::isinf(r.request_rate) ? "inf" : PythonFloat(r.request_rate);
    out += fmt::format(
        "{:>8} {:>10} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} "
        "{:>7}\n",
        rate, m.completed, m.request_throughput, m.output_throughput, m.ttft.mean,
        metrics::PercentileOf(m.ttft, 99), m.itl.mean, metrics::PercentileOf(m.itl, 99),
        metrics::PercentileOf(m.e2e, 99), m.run_valid ? "yes" : "no");
  }
  return out;
}

}  // namespace servebench::report
