#include "app/throughput_sim.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "app/profile_table.h"
#include "app/run_workload.h"
#include "metrics/aggregate.h"
#include "report/csv.h"
#include "sim/closed_loop.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {
namespace {

constexpr int kBadInput = 2;  // cli.md §7

int Fail(const std::string& message) {
  std::fprintf(stderr, "servebench throughput: %s\n", message.c_str());
  return kBadInput;
}

// A record per row; rows the engine cannot take (--session-len) are failed here, the others are
// queued in `requests` (row index in `row_of`).
std::vector<metrics::RequestRecord> PlanRecords(const ThroughputFlags& f,
                                                const std::vector<dataset::WorkloadRow>& rows,
                                                std::vector<sim::ClosedLoopRequest>& requests,
                                                std::vector<size_t>& row_of) {
  std::vector<metrics::RequestRecord> records(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    metrics::RequestRecord& r = records[i];
    const dataset::WorkloadRow& row = rows[i];
    r.index = static_cast<int64_t>(i);
    r.prompt_tokens_dataset = row.prompt_len;
    r.output_tokens_requested = row.output_len;
    r.ignore_eos = true;
    int64_t output = row.output_len;
    if (f.session_len) {
      // The engine stops a sequence when its context is full: the output is cut short (and the
      // profile leaves the request out); a prompt that fills the context gets nothing.
      int64_t room = *f.session_len - row.prompt_len;
      if (room < 1) {
        r.status = metrics::RequestStatus::kStreamError;
        r.error = fmt::format("prompt of {} tokens leaves no room in --session-len {}",
                              row.prompt_len, *f.session_len);
        r.end_time = 0;
        continue;
      }
      output = std::min(output, room);
    }
    requests.push_back({static_cast<int>(row.prompt_len), static_cast<int>(output)});
    row_of.push_back(i);
  }
  return records;
}

// The engine's token times as the record's events: one event per token when streaming, else one
// event at the end carrying every token.
void FillRecord(const sim::ClosedLoopOutcome& outcome, bool stream, metrics::RequestRecord& r) {
  r.scheduled_time = r.admit_time = r.send_time = outcome.submit_ns;
  const auto tokens = static_cast<int32_t>(outcome.token_ns.size());
  if (stream) {
    r.event_times = outcome.token_ns;
    r.event_tokens.assign(outcome.token_ns.size(), 1);
  } else {
    r.event_times = {outcome.token_ns.back()};
    r.event_tokens = {tokens};
  }
  r.event_token_source = metrics::EventTokenSource::kServer;
  r.last_event_time = r.end_time = outcome.token_ns.back();
  r.output_tokens_server = tokens;
  r.finish_reason = "length";
}

}  // namespace

int RunEngineProfile(const ThroughputFlags& f, const RunFlags& run) {
  auto tok = tokenizer::LoadTokenizer(f.model_path);
  if (!tok) {
    return Fail(fmt::format("MODEL_PATH {}: cannot load a tokenizer: {}", f.model_path,
                            tok.error().message));
  }
  auto workload = BuildWorkload(run, **tok);
  if (!workload) return Fail(workload.error().message);
  const std::vector<dataset::WorkloadRow>& rows = workload->rows;

  std::vector<sim::ClosedLoopRequest> requests;
  std::vector<size_t> row_of;
  std::vector<metrics::RequestRecord> records = PlanRecords(f, rows, requests, row_of);
  sim::ClosedLoopOptions options;
  options.engine = f.engine_model;
  options.workers = f.concurrency;
  options.tp = f.tp;
  auto started = std::chrono::steady_clock::now();
  std::vector<sim::ClosedLoopOutcome> outcomes = sim::RunClosedLoop(options, requests);
  double computed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int64_t simulated_ns = 0;
  for (size_t k = 0; k < outcomes.size(); ++k) {
    FillRecord(outcomes[k], f.stream_output, records[row_of[k]]);
    simulated_ns = std::max(simulated_ns, outcomes[k].token_ns.back());
  }

  report::RunInfo info;
  info.backend = "sim";
  info.dataset_name = run.dataset_name;
  info.random_input_len = run.random_input_len;
  info.random_output_len = run.random_output_len;
  info.compat = metrics::Compat::kLmdeploy;
  info.seed = run.seed;
  info.model_id = f.model_path;
  info.tokenizer_id = f.model_path;
  info.num_prompts = static_cast<int64_t>(rows.size());
  info.closed_loop_concurrency = f.concurrency;
  info.stream = f.stream_output;
  metrics::RunSettings settings;
  settings.rules.compat = metrics::Compat::kLmdeploy;
  metrics::RunMetrics m = metrics::Aggregate(records, settings);

  const sim::EngineOptions& e = f.engine_model;
  std::fprintf(stderr,
               "servebench throughput: serve-sim engine model (max running %d, KV %lld tokens, "
               "prefill chunk %d, step %.3g ms + %.3g us/prefill token + %.3g us/decoding "
               "sequence, tp %d): %zu requests, %.3f s of engine time computed in %.3f s\n",
               e.max_running, static_cast<long long>(e.kv_tokens), e.prefill_chunk, e.step_base_ms,
               e.prefill_us_per_token, e.decode_us_per_seq, f.tp, rows.size(),
               static_cast<double>(simulated_ns) / 1e9, computed_s);
  std::string table = ConsoleTable(info, m, records, 0.0);
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::fflush(stdout);
  if (!f.csv.empty()) {
    Status s = report::AppendCsv(f.csv, report::CsvHeader(info), report::CsvRow(info, m));
    if (!s) return Fail(s.error().message);
  }
  return 0;
}

}  // namespace servebench::app
