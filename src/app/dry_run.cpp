#include "app/dry_run.h"

#include <cstdio>

#include "app/compat_flags.h"
#include "app/workload_summary.h"

namespace servebench::app {

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "servebench run: %s\n", message.c_str());
  return 2;
}

}  // namespace

int RunDryRun(const RunFlags& f, Prepared& p) {
  p.model = !f.served_model_name.empty() ? f.served_model_name : f.model;
  p.tokenizer_name = TokenizerName(f, p.model);
  if (p.tokenizer_name.empty() && !f.skip_tokenizer_init) {
    return Fail("--dry-run: give --tokenizer, --model-path or --model (no server is asked)");
  }
  auto tok = LoadRunTokenizer(f, p.tokenizer_name);
  if (!tok) {
    return Fail(
        fmt::format("--tokenizer: cannot load '{}': {}", p.tokenizer_name, tok.error().message));
  }
  p.tokenizer = std::move(*tok);
  auto workload = BuildWorkload(f, *p.tokenizer, p.tokenizer_name);
  if (!workload) return Fail(workload.error().message);
  p.workload = std::move(*workload);
  std::vector<double> timestamps;
  if (p.load.trace_timing) {
    for (const dataset::WorkloadRow& row : p.workload.rows)
      timestamps.push_back(row.timestamp_ms.value_or(0));
  }
  auto schedule = load::BuildSchedule(p.workload.rows.size(), p.load, f.seed, timestamps);
  if (!schedule) return Fail(schedule.error().message);
  SummaryHeader header{fmt::format("{} ({})", p.target.url, p.target.backend->name), f.dataset_name,
                       f.skip_tokenizer_init ? "none (--skip-tokenizer-init)" : p.tokenizer_name,
                       p.model};
  std::string summary = RenderWorkloadSummary(header, p.workload, *schedule);
  std::fwrite(summary.data(), 1, summary.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace servebench::app
