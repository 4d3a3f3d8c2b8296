#include "app/run_cycle.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "app/compat_flags.h"
#include "app/first_request_ready.h"
#include "app/result_files.h"
#include "app/run_calibration.h"
#include "app/run_outputs.h"
#include "app/run_timing.h"
#include "app/server_control.h"
#include "app/server_figures.h"
#include "report/console.h"

namespace servebench::app {
namespace {

struct RateOutcome {
  metrics::RunMetrics metrics;
  bool interrupted = false;
};

RunExpected<RateOutcome> RunOneRate(const RunFlags& f, const Prepared& p, const RunPlan& plan,
                                    double rate,
                                    const std::optional<metrics::Calibration>& calibration,
                                    std::string& output_file, const std::atomic<bool>& stop) {
  std::vector<metrics::RequestRecord> warmup_sent;
  auto warmup = RunWarmup(plan.driver, plan.warmup, p.settings.rules, stop, &warmup_sent);
  if (Status s = p.result_files->LogRequests("warmup", rate, warmup_sent); !s) {
    return FailWith(kExitBadInput, s.error().message);
  }
  if (!warmup) return std::unexpected(warmup.error());
  std::optional<bool> cache_flushed;
  if (f.flush_cache) cache_flushed = FlushCache(f, p, stop);
  SleepUnlessStopped(PostWarmupSleepSeconds(f, p.compat), stop);  // --post-warmup-sleep
  if (f.profile) StartProfiler(f, p);

  const bool show_progress = !f.disable_tqdm && isatty(STDERR_FILENO);
  const bool rescale = !(rate == p.load.request_rate);
  load::Schedule rescaled;
  if (rescale) rescaled = load::RescaleSchedule(plan.measured.schedule, p.load, rate);
  const load::Schedule& schedule = rescale ? rescaled : plan.measured.schedule;
  auto metrics_before = ScrapeServerMetrics(p);
  auto phase = RunMeasured(plan.driver, schedule, plan.measured, *p.tokenizer, show_progress, stop);
  auto metrics_after = metrics_before ? ScrapeServerMetrics(p) : std::nullopt;
  if (f.profile) StopProfiler(f, p);
  if (!phase) return std::unexpected(phase.error());
  ServerInfo server_info = FetchServerInfo(p);
  if (f.print_requests) PrintRequests(p.workload.rows, phase->sent);

  metrics::RunSettings settings = p.settings;
  settings.finite_rate_open_loop = !f.concurrency && std::isfinite(rate) && !p.load.trace_timing;
  settings.interrupted = phase->driver.interrupted;
  settings.not_sent = phase->driver.not_sent;
  settings.rounds_dropped = phase->driver.rounds_dropped;
  settings.rules.accept_length = server_info.accept_length;  // SGLang's ITL correction
  RateOutcome outcome;
  outcome.metrics = metrics::Aggregate(phase->sent, settings);
  outcome.interrupted = phase->driver.interrupted;

  report::RunInfo info = MakeRunInfo(f, p, rate);
  std::string mmdd = StampStart(info, phase->driver.start_unix_ns);
  info.warmup = *warmup;
  info.interrupted = outcome.interrupted;
  DescribeTiming(f, p.load, schedule, info);  // trace rate, ramp-up keys
  info.cache_flushed = cache_flushed;
  info.calibration = calibration;
  info.server_info_json = server_info.json;
  info.accept_length = server_info.accept_length;
  AddMetricsFigures(metrics_before, metrics_after, info);
  if (output_file.empty()) output_file = OutputFileName(f, info, mmdd);
  Status written = WriteOutputs(f, info, outcome.metrics, phase->sent, settings.rules, output_file);
  if (!written) return FailWith(kExitBadInput, written.error().message);
  written = p.result_files->WriteMeasured(info, outcome.metrics, phase->sent, settings.rules);
  if (!written) return FailWith(kExitBadInput, written.error().message);
  if (f.plot_throughput) PlotThroughput(phase->sent);
  return outcome;
}

// The most demanding rate of the sweep: its highest finite one (an infinite rate sets no pace).
double CalibrationRate(const std::vector<double>& rates) {
  double best = rates.front();
  for (double rate : rates) {
    if (std::isfinite(rate) && (!std::isfinite(best) || rate > best)) best = rate;
  }
  return best;
}

}  // namespace

int RunRates(const RunFlags& f, const Prepared& p, const RunPlan& plan,
             const std::atomic<bool>& stop) {
  std::vector<report::SweepRow> rows;
  std::string output_file;
  bool interrupted = false;
  bool all_valid = true;
  std::optional<metrics::Calibration> calibration;
  if (ReadyByFirstRequest(f, p)) {
    if (auto ready = WaitReadyByFirstRequest(f, plan, stop); !ready) {
      std::fprintf(stderr, "servebench run: %s\n", ready.error().message.c_str());
      return ready.error().exit_code;
    }
  }
  if (f.calibrate) {
    auto c = Calibrate(f, p, plan, CalibrationRate(p.rates), stop);
    if (!c) {
      std::fprintf(stderr, "servebench run: %s\n", c.error().message.c_str());
      return c.error().exit_code;
    }
    std::printf(
        "Calibration: %lld requests in %.2f s against an instant serve-sim: p99 send lag "
        "%.3f ms, %.0f token events/s\n",
        static_cast<long long>(c->requests), c->seconds, c->send_lag_p99_ms, c->events_per_s);
    std::fflush(stdout);
    if (c->warning) {
      std::fprintf(stderr, "servebench run: %s\n", metrics::CalibrationWarningLine(*c).c_str());
    }
    calibration = *c;
  }
  for (double rate : p.rates) {
    auto outcome = RunOneRate(f, p, plan, rate, calibration, output_file, stop);
    if (!outcome) {
      std::fprintf(stderr, "servebench run: %s\n", outcome.error().message.c_str());
      return outcome.error().exit_code;
    }
    all_valid = all_valid && outcome->metrics.run_valid;
    rows.push_back(report::SweepRow{rate, std::move(outcome->metrics)});
    // Ctrl-C: the current rate is written as interrupted, later rates are not run.
    if (outcome->interrupted) {
      interrupted = true;
      break;
    }
  }
  if (f.multi) {
    std::string summary = report::RenderSweepSummary(rows);
    std::fwrite(summary.data(), 1, summary.size(), stdout);
    std::fflush(stdout);
  }
  if (interrupted) return kExitInterrupted;
  if (!all_valid && f.fail_on_invalid) return kExitInvalidRun;
  return 0;
}

}  // namespace servebench::app
