// RunBenchmark: the phases of spec/load.md §1 composed from the modules: validate, wait for the
// server, discover the model, build rows, bodies and schedule, warm up, run the measured phase,
// aggregate, and write the console table, the JSONL line and the CSV row.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/run_flags.h"
#include "app/run_target.h"
#include "app/run_workload.h"
#include "client/http_get.h"
#include "client/run_driver.h"
#include "common/clock.h"
#include "common/version.h"
#include "load/request_choices.h"
#include "load/schedule.h"
#include "load/warmup.h"
#include "metrics/aggregate.h"
#include "protocol/request_body.h"
#include "report/console.h"
#include "report/csv.h"
#include "report/result_json.h"
#include "report/vllm_result.h"

namespace servebench::app {
namespace {

constexpr int kExitNotReady = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInvalidRun = 3;
constexpr int kExitInterrupted = 130;

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int) {
  // The second signal ends the process at once.
  if (g_stop.exchange(true)) _exit(kExitInterrupted);
}

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "servebench run: %s\n", message.c_str());
  return code;
}

Expected<double> ParseNumber(std::string_view flag, const std::string& text) {
  if (text == "inf" || text == "Inf" || text == "infinity") {
    return std::numeric_limits<double>::infinity();
  }
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size() && !std::isnan(v)) return v;
  } catch (...) {
  }
  return MakeError("{}: expected a number or inf, got '{}'", flag, text);
}

// The command line as typed, with header values of Authorization replaced by ***.
std::vector<std::string> CommandLine() {
  std::vector<std::string> args;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string arg;
  while (std::getline(in, arg, '\0')) {
    if (arg.size() > 14 &&
        (arg.starts_with("Authorization=") || arg.starts_with("authorization="))) {
      arg = arg.substr(0, 14) + "***";
    }
    args.push_back(arg);
  }
  return args;
}

std::string LocalIsoDate(int64_t unix_ns, std::string* mmdd) {
  time_t seconds = static_cast<time_t>(unix_ns / 1'000'000'000);
  tm local{};
  localtime_r(&seconds, &local);
  char date[64], zone[8], md[8];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  strftime(zone, sizeof zone, "%z", &local);
  strftime(md, sizeof md, "%m%d", &local);
  *mmdd = md;
  std::string z = zone;
  if (z.size() == 5) z.insert(3, ":");
  return std::string(date) + z;
}

metrics::ApiStyle ApiStyleOf(const protocol::BackendInfo& b) {
  switch (b.style) {
    case protocol::Style::kNative:
      return metrics::ApiStyle::kSglangNative;
    case protocol::Style::kChat:
      return metrics::ApiStyle::kChat;
    case protocol::Style::kTrt:
      return metrics::ApiStyle::kTrt;
    case protocol::Style::kTgi:
      return metrics::ApiStyle::kTgi;
    case protocol::Style::kCompletions:
      return b.name == "truss" ? metrics::ApiStyle::kTruss : metrics::ApiStyle::kCompletions;
  }
  return metrics::ApiStyle::kCompletions;
}

// Raises the soft descriptor limit to the hard one; fails when even that is too small.
Status RaiseFileLimit(int64_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return Ok();
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_max != RLIM_INFINITY && static_cast<int64_t>(limit.rlim_max) < needed) {
    return MakeError(
        "{} requests may be in flight but RLIMIT_NOFILE (ulimit -n) is {}; raise it or cap "
        "--max-concurrency",
        needed - 64, static_cast<int64_t>(limit.rlim_max));
  }
  return Ok();
}

std::string ProgressLine(const client::DriverProgress& p, int64_t total, double elapsed_s) {
  int64_t done = p.ended.load(std::memory_order_relaxed);
  return fmt::format(
      "\r{}/{} done  {:.1f} req/s  {:.0f} tok-events/s  {} in flight  {} failed ", done, total,
      elapsed_s > 0 ? done / elapsed_s : 0.0,
      elapsed_s > 0 ? p.output_events.load(std::memory_order_relaxed) / elapsed_s : 0.0,
      p.in_flight.load(std::memory_order_relaxed), p.failed.load(std::memory_order_relaxed));
}

struct Prepared {
  Target target;
  std::string model;
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;
  Workload workload;
  protocol::RequestOptions request_options;
  metrics::Compat compat = metrics::Compat::kNone;
  protocol::Compat protocol_compat = protocol::Compat::kNone;
  load::LoadOptions load;
  metrics::RunSettings settings;
  double rate = 0;
  int64_t threads = 1;
  std::vector<int32_t> lora;  // adapter index per row (--lora-name), empty without adapters
};

// Flag checks that need no server (load.md §1 step 1). Returns the exit code on failure.
Expected<Prepared> Validate(const RunFlags& f) {
  Prepared p;
  auto target = ResolveTarget(f);
  if (!target) return std::unexpected(target.error());
  p.target = std::move(*target);
  if (f.num_prompts < 1)
    return MakeError("--num-prompts: expected at least 1, got {}", f.num_prompts);
  if (f.dataset_name != "random" && f.dataset_name != "random-ids") {
    return MakeError("--dataset-name: '{}' is not available yet (expected random or random-ids)",
                     f.dataset_name);
  }
  if (!f.compat.empty()) {
    auto c = metrics::ParseCompat(f.compat);
    if (!c) return std::unexpected(c.error());
    p.compat = *c;
    p.protocol_compat = *protocol::ParseCompat(f.compat);
  }
  auto rate = ParseNumber("--request-rate", f.request_rate);
  if (!rate) return std::unexpected(rate.error());
  if (*rate <= 0) return MakeError("--request-rate: expected > 0 or inf, got {}", f.request_rate);
  p.rate = *rate;
  auto burstiness = ParseNumber("--burstiness", f.burstiness);
  if (!burstiness) return std::unexpected(burstiness.error());
  p.load.request_rate = *rate;
  p.load.burstiness = *burstiness;
  p.load.schedule_normalize = f.schedule_normalize;
  p.load.max_concurrency = f.max_concurrency;
  p.load.concurrency = f.concurrency;
  if (p.compat == metrics::Compat::kVllm) p.load.first_arrival = load::FirstArrival::kAfterGap;
  if (Status s = load::ValidateLoadOptions(p.load); !s) return std::unexpected(s.error());
  if (f.client_threads < 0) return MakeError("--client-threads: expected >= 0");
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  p.threads = f.client_threads > 0 ? f.client_threads : std::min<int64_t>(cores, 4);
  if (f.done_grace_ms < 0) return MakeError("--done-grace-ms: expected >= 0");
  if (!(f.cancel_rate >= 0 && f.cancel_rate <= 1)) {
    return MakeError("--cancel-rate: expected a fraction in [0, 1], got {}", f.cancel_rate);
  }
  if (f.max_event_bytes < 1) return MakeError("--max-event-bytes: expected >= 1");
  if (f.tokenize_prompt && p.target.backend->style != protocol::Style::kNative) {
    return MakeError("--tokenize-prompt: only the sglang backends send token ids");
  }

  protocol::RequestOptions& o = p.request_options;
  o.stream = !f.disable_stream;
  o.compat = p.protocol_compat;
  o.temperature = f.temperature;
  o.top_p = f.top_p;
  o.top_k = f.top_k;
  o.min_p = f.min_p;
  o.frequency_penalty = f.frequency_penalty;
  o.presence_penalty = f.presence_penalty;
  o.repetition_penalty = f.repetition_penalty;
  o.disable_ignore_eos = f.disable_ignore_eos;
  o.ignore_eos = f.ignore_eos;
  o.synthetic_dataset = true;
  o.no_usage_request = f.no_usage_request;
  o.continuous_usage = f.continuous_usage;
  if (f.max_tokens_field == "max_completion_tokens") {
    o.max_tokens_field = protocol::MaxTokensField::kMaxCompletionTokens;
  } else if (f.max_tokens_field == "max_tokens") {
    o.max_tokens_field = protocol::MaxTokensField::kMaxTokens;
  } else if (f.max_tokens_field == "both") {
    o.max_tokens_field = protocol::MaxTokensField::kBoth;
  } else {
    return MakeError(
        "--max-tokens-field: expected max_completion_tokens, max_tokens or both, got "
        "'{}'",
        f.max_tokens_field);
  }
  if (!f.extra_request_body.empty()) {
    auto extra = protocol::ParseJsonObject(f.extra_request_body, "--extra-request-body");
    if (!extra) return std::unexpected(extra.error());
    o.extra_body = std::move(*extra);
  }

  metrics::RunSettings& s = p.settings;
  s.rules.compat = p.compat;
  s.rules.api = ApiStyleOf(*p.target.backend);
  if (!f.metric_percentiles.empty()) {
    auto pct = metrics::ParseMetricPercentiles(f.metric_percentiles);
    if (!pct) return std::unexpected(pct.error());
    s.percentiles = *pct;
  }
  if (!f.goodput.empty()) {
    auto g = metrics::ParseGoodput(f.goodput);
    if (!g) return std::unexpected(g.error());
    s.goodput = *g;
  }
  s.max_send_lag_ms = f.max_send_lag_ms;
  s.finite_rate_open_loop = !f.concurrency && std::isfinite(p.rate);
  s.max_concurrency_set = f.max_concurrency.has_value();
  s.client_threads = p.threads;
  return p;
}

// Bodies of `rows` (output lengths as given).
Expected<std::vector<std::string>> BuildBodies(const Prepared& p, const RunFlags& f,
                                               const std::vector<dataset::WorkloadRow>& rows,
                                               std::optional<int64_t> output_override) {
  std::vector<std::string> bodies;
  bodies.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const dataset::WorkloadRow& row = rows[i];
    protocol::RequestInput input;
    if (!row.prompt_ids.empty()) {
      input.kind = protocol::PromptKind::kTokenIds;
      input.token_ids = row.prompt_ids;
    } else {
      input.text = row.prompt_text;
    }
    input.output_len = output_override.value_or(row.output_len);
    // The warmup (output_override) uses the first adapter, the measured rows their own.
    if (!f.lora_names.empty()) {
      input.lora_name = f.lora_names[output_override ? 0 : static_cast<size_t>(p.lora[i])];
    }
    auto body = protocol::BuildRequestBody(*p.target.backend, input, p.request_options);
    if (!body) return std::unexpected(body.error());
    bodies.push_back(std::move(*body));
  }
  return bodies;
}

std::vector<metrics::RequestRecord> MakeRecords(const Prepared& p,
                                                const std::vector<dataset::WorkloadRow>& rows,
                                                std::optional<int64_t> output_override) {
  std::vector<metrics::RequestRecord> records(rows.size());
  bool ignore_eos = protocol::WantsIgnoreEos(*p.target.backend, p.request_options);
  for (size_t i = 0; i < rows.size(); ++i) {
    records[i].index = static_cast<int64_t>(i);
    records[i].prompt_tokens_dataset = rows[i].prompt_len;
    records[i].prompt_vision_tokens = rows[i].vision_prompt_len;
    records[i].output_tokens_requested = output_override.value_or(rows[i].output_len);
    records[i].ignore_eos = ignore_eos;
    if (!p.lora.empty()) records[i].lora = output_override ? 0 : p.lora[i];
  }
  return records;
}

std::string RequestIdPrefix(const RunFlags& f) {
  if (f.request_id_prefix) return *f.request_id_prefix;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint32_t hex = static_cast<uint32_t>(ts.tv_nsec ^ (ts.tv_sec * 2654435761u) ^ getpid());
  return fmt::format("bench-{:08x}-", hex);
}

}  // namespace

int RunBenchmark(const RunFlags& f) {
  // From the first moment: a Ctrl-C during set-up (readiness, tokenizer, workload) must still end
  // with every output written and marked interrupted, never with the default kill.
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  auto prepared = Validate(f);
  if (!prepared) return Fail(kExitBadInput, prepared.error().message);
  Prepared& p = *prepared;
  const protocol::BackendInfo& backend = *p.target.backend;

  // Readiness, then the model name.
  if (f.ready_check_timeout_s > 0) {
    Status ready = client::WaitReady(p.target.probe_url, p.target.header_lines,
                                     f.ready_check_timeout_s, f.insecure);
    if (!ready) return Fail(kExitNotReady, ready.error().message);
  }
  auto model = DiscoverModel(f, p.target);
  if (!model) return Fail(kExitNotReady, model.error().message);
  p.model = *model;
  p.request_options.model = p.model;

  // Tokenizer and rows.
  std::string tokenizer_name =
      !f.tokenizer.empty() ? f.tokenizer : (!f.model_path.empty() ? f.model_path : p.model);
  auto tok = tokenizer::LoadTokenizer(tokenizer_name);
  if (!tok) {
    return Fail(kExitBadInput, fmt::format("--tokenizer: cannot load '{}': {}", tokenizer_name,
                                           tok.error().message));
  }
  p.tokenizer = std::move(*tok);
  auto workload = BuildWorkload(f, *p.tokenizer);
  if (!workload) return Fail(kExitBadInput, workload.error().message);
  p.workload = std::move(*workload);
  const auto& rows = p.workload.rows;
  if (p.workload.off_target > 0) {
    std::fprintf(stderr, "servebench run: %zu prompts could not be fitted to their exact length\n",
                 p.workload.off_target);
  }
  if (!f.lora_names.empty()) {
    auto distribution = load::ParseLoraDistribution(f.lora_request_distribution);
    if (!distribution) return Fail(kExitBadInput, distribution.error().message);
    auto lora = load::AssignLora(rows.size(), f.lora_names.size(), *distribution, f.lora_zipf_alpha,
                                 f.seed);
    if (!lora) return Fail(kExitBadInput, lora.error().message);
    p.lora = std::move(*lora);
  }
  auto bodies = BuildBodies(p, f, rows, std::nullopt);
  if (!bodies) return Fail(kExitBadInput, bodies.error().message);
  auto schedule = load::BuildSchedule(rows.size(), p.load, f.seed);
  if (!schedule) return Fail(kExitBadInput, schedule.error().message);

  int64_t in_flight_bound = static_cast<int64_t>(rows.size());
  if (f.max_concurrency) in_flight_bound = std::min(in_flight_bound, *f.max_concurrency);
  if (f.concurrency) in_flight_bound = std::min(in_flight_bound, *f.concurrency);
  if (Status s = RaiseFileLimit(in_flight_bound + 64); !s)
    return Fail(kExitBadInput, s.error().message);

  // The loop settings every phase shares.
  client::TokenCounter count_tokens = [&t = *p.tokenizer](std::string_view text) {
    return t.CountTokens(text);
  };
  client::DriverOptions driver;
  driver.url = p.target.url;
  driver.header_lines = p.target.header_lines;
  driver.request_id_prefix = RequestIdPrefix(f);
  driver.threads = static_cast<size_t>(p.threads);
  driver.http.http2 = f.http2;
  driver.http.insecure = f.insecure;
  double timeout_s = f.request_timeout_s.value_or(21600);
  if (!f.request_timeout_s) {
    if (const char* hours = std::getenv("AIOHTTP_TIMEOUT")) timeout_s = std::atof(hours) * 3600;
  }
  driver.http.timeout_ms = static_cast<int64_t>(timeout_s * 1000);
  driver.http.new_connection_per_request =
      p.compat == metrics::Compat::kSglang || p.compat == metrics::Compat::kLmdeploy;
  driver.call.reader.style = backend.style;
  driver.call.reader.compat = p.protocol_compat;
  driver.call.reader.stream = !f.disable_stream;
  driver.call.reader.incremental_text = f.incremental_text;
  driver.call.reader.trt_accumulated_text = f.trt_accumulated_text;
  driver.call.max_event_bytes = static_cast<size_t>(f.max_event_bytes);
  driver.call.done_grace_ns = f.done_grace_ms * 1'000'000;
  driver.call.count_tokens = &count_tokens;
  driver.drain_timeout_ns = static_cast<int64_t>(f.drain_timeout_s * 1e9);

  // Warmup (load.md §9): copies of row 0 released together through the same cap.
  load::WarmupOptions warmup_options;
  warmup_options.warmup_requests = f.warmup_requests;
  warmup_options.num_warmups = f.num_warmups;
  warmup_options.disable_warmup = f.disable_warmup;
  warmup_options.full_output_length =
      p.compat == metrics::Compat::kVllm || p.compat == metrics::Compat::kLmdeploy;
  load::WarmupPlan warmup = load::PlanWarmup(warmup_options, rows.front().output_len);
  metrics::WarmupSummary warmup_summary;
  if (warmup.requests > 0) {
    std::vector<dataset::WorkloadRow> warm_rows(static_cast<size_t>(warmup.requests), rows.front());
    auto warm_bodies = BuildBodies(p, f, warm_rows, warmup.output_len);
    if (!warm_bodies) return Fail(kExitBadInput, warm_bodies.error().message);
    std::vector<metrics::RequestRecord> warm_records = MakeRecords(p, warm_rows, warmup.output_len);
    load::LoadOptions warm_load;
    warm_load.max_concurrency = f.max_concurrency;
    if (f.concurrency) warm_load.max_concurrency = f.concurrency;
    auto warm_schedule = load::BuildSchedule(warm_rows.size(), warm_load, f.seed);
    client::DriverOptions warm_driver = driver;
    warm_driver.request_id_prefix = driver.request_id_prefix + "warmup-";
    auto warm = client::RunPhase(warm_driver, *warm_schedule, *warm_bodies, warm_records, g_stop);
    if (!warm) return Fail(kExitNotReady, warm.error().message);
    if (g_stop.load()) return Fail(kExitInterrupted, "interrupted during warmup");
    warmup_summary = metrics::SummarizeWarmup(warm_records, p.settings.rules);
    if (warmup_summary.succeeded == 0) {
      const metrics::RequestRecord& first = warm_records.front();
      return Fail(kExitNotReady, fmt::format("warmup failed ({}): {}",
                                             metrics::StatusName(first.status), first.error));
    }
  }

  // The measured phase, with the progress line on a terminal.
  std::vector<metrics::RequestRecord> records = MakeRecords(p, rows, std::nullopt);
  if (f.cancel_rate != 0) {
    std::vector<int64_t> requested;
    for (const metrics::RequestRecord& r : records)
      requested.push_back(r.output_tokens_requested);
    auto cuts = load::MarkCancellations(requested, f.cancel_rate, f.seed);
    if (!cuts) return Fail(kExitBadInput, cuts.error().message);
    for (size_t i = 0; i < records.size(); ++i)
      records[i].cancel_after_events = (*cuts)[i];
  }
  client::DriverProgress progress;
  std::atomic<bool> phase_done{false};
  std::thread progress_thread;
  const bool show_progress = !f.disable_tqdm && isatty(STDERR_FILENO);
  const int64_t started_ns = MonotonicNanos();
  if (show_progress) {
    progress_thread = std::thread([&] {
      while (!phase_done.load(std::memory_order_relaxed)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        std::string line = ProgressLine(progress, static_cast<int64_t>(rows.size()),
                                        static_cast<double>(MonotonicNanos() - started_ns) / 1e9);
        std::fputs(line.c_str(), stderr);
      }
      std::fputs("\n", stderr);
    });
  }
  auto phase = client::RunPhase(driver, *schedule, *bodies, records, g_stop, &progress);
  phase_done = true;
  if (progress_thread.joinable()) progress_thread.join();
  if (!phase) return Fail(kExitNotReady, phase.error().message);

  // Re-tokenized output counts, then the aggregates over the sent records.
  std::vector<metrics::RequestRecord> sent;
  sent.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (!phase->sent[i]) continue;
    metrics::RequestRecord& r = records[i];
    r.output_tokens_retokenized = static_cast<int64_t>(p.tokenizer->CountTokens(r.generated_text));
    sent.push_back(std::move(r));
  }
  p.settings.interrupted = phase->interrupted;
  p.settings.not_sent = phase->not_sent;
  metrics::RunMetrics m = metrics::Aggregate(sent, p.settings);

  report::RunInfo info;
  info.tag = f.tag;
  info.backend = std::string(backend.name);
  info.dataset_name = f.dataset_name;
  info.request_rate = p.rate;
  info.max_concurrency = f.max_concurrency;
  if (f.concurrency) info.max_concurrency = f.concurrency;
  info.random_input_len = f.random_input_len;
  info.random_output_len = f.random_output_len;
  info.random_range_ratio = std::atof(f.random_range_ratio.c_str());
  info.servebench_version = std::string(Version());
  std::string mmdd;
  info.date = LocalIsoDate(phase->start_unix_ns, &mmdd);
  info.start_unix_ns = phase->start_unix_ns;
  info.command_line = CommandLine();
  info.compat = p.compat;
  info.seed = f.seed;
  info.model_id = p.model;
  info.tokenizer_id = tokenizer_name;
  info.base_url = p.target.base_url;
  info.endpoint = p.target.endpoint;
  info.num_prompts = static_cast<int64_t>(rows.size());
  info.burstiness = p.load.burstiness;
  info.closed_loop_concurrency = f.concurrency;
  info.stream = !f.disable_stream;
  info.percentiles = p.settings.percentiles;
  if (!f.percentile_metrics.empty()) {
    info.percentile_metrics.clear();
    std::string item;
    for (char c : f.percentile_metrics + ",") {
      if (c == ',') {
        if (!item.empty()) info.percentile_metrics.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
  }
  report::ApplyCompatPrintDefaults(info, !f.metric_percentiles.empty(),
                                   !f.percentile_metrics.empty());
  info.goodput = p.settings.goodput;
  info.warmup = warmup_summary;
  info.interrupted = phase->interrupted;

  std::string table = report::RenderConsole(info, m);
  std::fwrite(table.data(), 1, table.size(), stdout);
  if (auto warning = report::TokenCountWarning(m)) std::fprintf(stderr, "%s\n", warning->c_str());
  std::fflush(stdout);

  std::string output_file =
      !f.output_file.empty() ? f.output_file : report::DefaultOutputFileName(info, mmdd, 0, "");
  {
    std::string line = f.output_details ? report::RenderResultLine(info, m, sent, p.settings.rules)
                                        : report::RenderResultLine(info, m);
    std::ofstream out(output_file, std::ios::app | std::ios::binary);
    out << line << '\n';
    if (!out)
      return Fail(kExitBadInput, fmt::format("--output-file {}: cannot write", output_file));
  }
  if (!f.csv.empty()) {
    Status s = report::AppendCsv(f.csv, report::CsvHeader(info), report::CsvRow(info, m));
    if (!s) return Fail(kExitBadInput, s.error().message);
  }

  if (phase->interrupted) return kExitInterrupted;
  if (!m.run_valid && f.fail_on_invalid) return kExitInvalidRun;
  return 0;
}

}  // namespace servebench::app
