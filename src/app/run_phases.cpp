#include "app/run_phases.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "app/compat_flags.h"
#include "common/clock.h"
#include "metrics/vision_tokens.h"

namespace servebench::app {
namespace {

std::string ProgressLine(const client::DriverProgress& p, int64_t total, double elapsed_s) {
  int64_t done = p.ended.load(std::memory_order_relaxed);
  return fmt::format(
      "\r{}/{} done  {:.1f} req/s  {:.0f} output tok/s  {} in flight  {} failed ", done, total,
      elapsed_s > 0 ? done / elapsed_s : 0.0,
      elapsed_s > 0 ? p.output_tokens.load(std::memory_order_relaxed) / elapsed_s : 0.0,
      p.in_flight.load(std::memory_order_relaxed), p.failed.load(std::memory_order_relaxed));
}

}  // namespace

RunExpected<metrics::WarmupSummary> RunWarmup(const client::DriverOptions& driver,
                                              const PhaseWork& warmup,
                                              const metrics::MeasurementRules& rules,
                                              const std::atomic<bool>& stop,
                                              std::vector<metrics::RequestRecord>* sent_out) {
  if (warmup.records.empty()) return metrics::WarmupSummary{};
  std::vector<metrics::RequestRecord> records = warmup.records;
  client::DriverOptions warm_driver = driver;
  warm_driver.request_id_prefix = driver.request_id_prefix + "warmup-";
  auto phase = client::RunPhase(warm_driver, warmup.schedule, warmup.bodies, records, stop);
  if (!phase) return FailWith(kExitNotReady, phase.error().message);
  for (size_t i = 0; sent_out != nullptr && i < records.size(); ++i) {
    if (phase->sent[i]) sent_out->push_back(records[i]);
  }
  if (stop.load()) return FailWith(kExitInterrupted, "interrupted during warmup");
  metrics::WarmupSummary summary = metrics::SummarizeWarmup(records, rules);
  if (summary.succeeded == 0) {
    const metrics::RequestRecord& first = records.front();
    return FailWith(kExitNotReady, fmt::format("warmup failed ({}): {}",
                                               metrics::StatusName(first.status), first.error));
  }
  return summary;
}

RunExpected<MeasuredPhase> RunMeasured(const client::DriverOptions& driver,
                                       const load::Schedule& schedule, const PhaseWork& work,
                                       const tokenizer::Tokenizer& tokenizer, bool show_progress,
                                       const std::atomic<bool>& stop) {
  std::vector<metrics::RequestRecord> records = work.records;
  client::DriverProgress progress;
  std::atomic<bool> phase_done{false};
  std::thread progress_thread;
  const int64_t started_ns = MonotonicNanos();
  if (show_progress) {
    progress_thread = std::thread([&] {
      while (!phase_done.load(std::memory_order_relaxed)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        std::string line = ProgressLine(progress, static_cast<int64_t>(records.size()),
                                        static_cast<double>(MonotonicNanos() - started_ns) / 1e9);
        std::fputs(line.c_str(), stderr);
      }
      std::fputs("\n", stderr);
    });
  }
  auto phase =
      client::RunPhase(driver, schedule, work.bodies, records, stop, &progress, work.sessions);
  phase_done = true;
  if (progress_thread.joinable()) progress_thread.join();
  if (!phase) return FailWith(kExitNotReady, phase.error().message);
  if (work.after_phase) {
    if (Status s = work.after_phase(records, phase->sent); !s) {
      return FailWith(kExitBadInput, s.error().message);
    }
  }

  MeasuredPhase out;
  out.sent.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (!phase->sent[i]) continue;
    metrics::RequestRecord& r = records[i];
    if (IsAbsentTokenizer(tokenizer)) {
      // --skip-tokenizer-init: no client count of the prompt exists, the server's stands for it;
      // no retokenized output count.
      r.prompt_tokens_dataset = r.prompt_tokens_server.value_or(0);
    } else {
      r.output_tokens_retokenized = static_cast<int64_t>(tokenizer.CountTokens(r.generated_text));
    }
    out.sent.push_back(std::move(r));
  }
  metrics::VisionEstimate vision = metrics::EstimateVisionTokens(out.sent);
  if (vision.unknown > 0) {
    std::fprintf(stderr,
                 "servebench run: %zu image requests had no successful server prompt count; their "
                 "vision tokens count as 0 (give --vision-tokens-per-image)\n",
                 vision.unknown);
  }

  out.driver = std::move(*phase);
  return out;
}

}  // namespace servebench::app
