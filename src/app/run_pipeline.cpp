// RunBenchmark: the phases of spec/load.md §1 composed from the modules: validate the flags,
// prepare the target (run_prepare), build rows, bodies and schedule, then the per-rate cycle
// (run_cycle: warmup, measured phase, outputs).
#include <signal.h>
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

#include "app/compat_flags.h"
#include "app/dry_run.h"
#include "app/result_files.h"
#include "app/row_input.h"
#include "app/run_context.h"
#include "app/run_cycle.h"
#include "app/run_flags.h"
#include "app/run_prepare.h"
#include "app/run_sessions.h"
#include "app/run_target.h"
#include "app/run_timing.h"
#include "app/run_workload.h"
#include "app/sweep_rates.h"
#include "client/run_driver.h"
#include "common/receive_stamps.h"
#include "dataset/warmup_row.h"
#include "load/request_choices.h"
#include "load/schedule.h"
#include "load/warmup.h"
#include "metrics/aggregate.h"
#include "protocol/request_body.h"

namespace servebench::app {
namespace {

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

// Kernel receive stamps (beyond.md 12, docs/kernel-timestamps.md): required with
// --kernel-timestamps, off with --no-kernel-timestamps, and otherwise on wherever the kernel stamps
// received TCP data. Without the flag, a system that cannot gets user-space stamps and one line
// on stderr saying so. nullptr: user-space stamps.
Expected<std::shared_ptr<KernelStamping>> StartKernelStamping(const RunFlags& f) {
  if (!f.kernel_timestamps.value_or(true)) return nullptr;
  Expected<KernelStamping> stamping = KernelStamping::Start();
  if (stamping) return std::make_shared<KernelStamping>(std::move(*stamping));
  if (f.kernel_timestamps) {
    return MakeError("{}; run with --no-kernel-timestamps", stamping.error().message);
  }
  std::fprintf(stderr, "servebench run: reads are stamped in user space: %s\n",
               stamping.error().message.c_str());
  return nullptr;
}

// Flag checks that need no server (load.md §1 step 1). Returns the exit code on failure.
Expected<Prepared> Validate(const RunFlags& f) {
  Prepared p;
  auto target = ResolveTarget(f);
  if (!target) return std::unexpected(target.error());
  p.target = std::move(*target);
  if (f.num_prompts < 1)
    return MakeError("--num-prompts: expected at least 1, got {}", f.num_prompts);
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
  if (Status s = ApplyTimingFlags(f, p.load); !s) return std::unexpected(s.error());
  p.rate = p.load.request_rate;  // inf under trace timing
  if (Status s = load::ValidateLoadOptions(p.load); !s) return std::unexpected(s.error());
  if (f.client_threads < 0) return MakeError("--client-threads: expected >= 0");
  auto stamping = StartKernelStamping(f);
  if (!stamping) return std::unexpected(stamping.error());
  p.kernel_stamping = std::move(*stamping);
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
  o.synthetic_dataset = IsSyntheticDataset(f.dataset_name);
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
  if (Status c = ApplyCompatFlags(f, *p.target.backend, o, p.settings); !c) {
    return std::unexpected(c.error());
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
  s.kernel_timestamps = p.kernel_timestamps();
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
    if (Status s = FillRequestInput(row, input); !s) return std::unexpected(s.error());
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
    records[i].vision_from_server = rows[i].vision_from_server;
    records[i].output_tokens_requested = output_override.value_or(rows[i].output_len);
    records[i].ignore_eos = ignore_eos;
    if (!p.lora.empty()) records[i].lora = output_override ? 0 : p.lora[i];
    records[i].routing_key = rows[i].routing_key;
  }
  return records;
}

}  // namespace

int RunBenchmark(const RunFlags& f) {
  // From the first moment: a Ctrl-C during set-up (readiness, tokenizer, workload) must still end
  // with every output written and marked interrupted, never with the default kill.
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // `servebench run --print-requests | head` closes stdout early: the result files written
  // after the console output must not be lost to SIGPIPE (writes to the pipe fail instead).
  signal(SIGPIPE, SIG_IGN);

  auto prepared = Validate(f);
  if (!prepared) return Fail(kExitBadInput, prepared.error().message);
  Prepared& p = *prepared;
  auto rates = SweepRates(f, p);
  if (!rates) return Fail(kExitBadInput, rates.error().message);
  p.rates = std::move(*rates);

  if (f.dry_run) return RunDryRun(f, p);
  auto result_files =
      ResultFiles::Open(f, p.kernel_timestamps());  // bad values fail before any server contact
  if (!result_files) return Fail(kExitBadInput, result_files.error().message);
  p.result_files = std::move(*result_files);
  if (auto target = PrepareTarget(f, p); !target) {
    return Fail(target.error().exit_code, target.error().message);
  }

  // Rows.
  auto workload = BuildWorkload(f, *p.tokenizer, p.tokenizer_name);
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
  auto schedule = BuildRowSchedule(rows, p.load, f.seed);
  if (!schedule) return Fail(kExitBadInput, schedule.error().message);

  int64_t in_flight_bound = static_cast<int64_t>(rows.size());
  if (f.max_concurrency) in_flight_bound = std::min(in_flight_bound, *f.max_concurrency);
  if (f.concurrency) in_flight_bound = std::min(in_flight_bound, *f.concurrency);
  if (Status s = EnsureFileLimit(in_flight_bound + 64); !s)
    return Fail(kExitBadInput, s.error().message);

  // The loop settings every phase shares.
  client::TokenCounter count_tokens = [&t = *p.tokenizer](std::string_view text) {
    return t.CountTokens(text);
  };
  RunPlan plan;
  plan.driver = MakeDriverOptions(f, p, count_tokens);
  if (f.skip_tokenizer_init) plan.driver.call.count_tokens = nullptr;  // server counts only

  // Warmup (load.md §9): copies of row 0 released together through the same cap.
  load::WarmupOptions warmup_options;
  warmup_options.warmup_requests = f.warmup_requests;
  warmup_options.num_warmups = f.num_warmups;
  warmup_options.disable_warmup = f.disable_warmup;
  warmup_options.full_output_length =
      p.compat == metrics::Compat::kVllm || p.compat == metrics::Compat::kLmdeploy;
  const dataset::WorkloadRow warm_row = dataset::WarmupRow(FirstRoundRow(rows.front()));
  load::WarmupPlan warmup = load::PlanWarmup(warmup_options, warm_row.output_len);
  if (warmup.requests > 0) {
    std::vector<dataset::WorkloadRow> warm_rows(static_cast<size_t>(warmup.requests), warm_row);
    auto warm_bodies = BuildBodies(p, f, warm_rows, warmup.output_len);
    if (!warm_bodies) return Fail(kExitBadInput, warm_bodies.error().message);
    plan.warmup.bodies = std::move(*warm_bodies);
    plan.warmup.records = MakeRecords(p, warm_rows, warmup.output_len);
    load::LoadOptions warm_load;
    warm_load.max_concurrency = f.max_concurrency;
    if (f.concurrency) warm_load.max_concurrency = f.concurrency;
    auto warm_schedule = load::BuildSchedule(warm_rows.size(), warm_load, f.seed);
    if (!warm_schedule) return Fail(kExitBadInput, warm_schedule.error().message);
    plan.warmup.schedule = std::move(*warm_schedule);
  }

  // The measured phase's records, with the requests marked for cancellation.
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
  plan.measured.schedule = std::move(*schedule);
  plan.measured.bodies = std::move(*bodies);
  LogSetUp(f, p.target.url, p.model, p.tokenizer_name, plan.measured.bodies);  // --log-level
  plan.measured.records = std::move(records);
  auto sessions = PrepareSessions(f, p, plan.measured);  // multi-turn rows: a record per round
  if (!sessions) return Fail(kExitBadInput, sessions.error().message);

  return RunRates(f, p, plan, g_stop);
}

}  // namespace servebench::app
