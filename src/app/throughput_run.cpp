// RunThroughput: checks the flags of `servebench throughput`, says which given options do not
// apply to the chosen target, and runs the profile on the engine model (throughput_sim.cpp) or,
// with --base-url, through `servebench run`'s pipeline as a closed-loop `--compat lmdeploy` run.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "app/compat_flags.h"
#include "app/run_flags.h"
#include "app/throughput_flags.h"
#include "app/throughput_sim.h"

namespace servebench::app {
namespace {

constexpr int kBadInput = 2;  // cli.md §7

struct NotApplicable {
  std::string_view flag;
  std::string_view why;
};

// Options with no meaning for the engine model.
constexpr std::array<NotApplicable, 5> kNotForEngine = {{
    {"--cache-max-entry-count", "its KV budget is --kv-tokens"},
    {"--top-k", "sampling does not change the model's timing"},
    {"--top-p", "sampling does not change the model's timing"},
    {"--temperature", "sampling does not change the model's timing"},
    {"--model", "the model name is only sent to a server"},
}};

// Options that configure an engine, which a running server has already been given.
constexpr std::array<NotApplicable, 10> kNotForServer = {{
    {"--tp", "the server's engine is configured where it runs"},
    {"--cache-max-entry-count", "the server's engine is configured where it runs"},
    {"--session-len", "the server's engine is configured where it runs"},
    {"--backend", "the server's engine is configured where it runs"},
    {"--max-running", "engine-model options apply to --engine sim only"},
    {"--kv-tokens", "engine-model options apply to --engine sim only"},
    {"--prefill-chunk", "engine-model options apply to --engine sim only"},
    {"--step-base-ms", "engine-model options apply to --engine sim only"},
    {"--prefill-us-per-token", "engine-model options apply to --engine sim only"},
    {"--decode-us-per-seq", "engine-model options apply to --engine sim only"},
}};

int Fail(const std::string& message) {
  std::fprintf(stderr, "servebench throughput: %s\n", message.c_str());
  return kBadInput;
}

template <size_t N>
void NoteNotApplicable(const ThroughputFlags& f, const std::array<NotApplicable, N>& table,
                       std::string_view target) {
  for (const NotApplicable& n : table) {
    if (std::find(f.given.begin(), f.given.end(), n.flag) == f.given.end()) continue;
    std::fprintf(stderr, "servebench throughput: %s is not applicable to %s (%s); ignored\n",
                 std::string(n.flag).c_str(), std::string(target).c_str(),
                 std::string(n.why).c_str());
  }
}

// The dataset and, for a server, the whole run as `servebench run` flags: the ShareGPT file with
// LMDeploy's filters, a closed loop of `concurrency` workers, LMDeploy's measurement rules.
RunFlags ToRunFlags(const ThroughputFlags& f) {
  RunFlags r;
  r.backend = "lmdeploy";
  r.base_url = f.base_url;
  r.model = f.model;
  r.tokenizer = f.model_path;
  r.dataset_name = "sharegpt";
  r.dataset_path = f.dataset;
  r.num_prompts = f.num_prompts;
  r.seed = f.seed;
  r.concurrency = f.concurrency;
  r.compat = "lmdeploy";
  r.temperature = f.temperature;
  if (f.top_p) r.top_p = *f.top_p;
  r.top_k = f.top_k;
  r.disable_stream = !f.stream_output;
  r.csv = f.csv;
  r.write_result_line = false;
  return r;
}

}  // namespace

int RunThroughput(const ThroughputFlags& f) {
  if (f.engine && *f.engine != "sim") {
    return Fail(
        fmt::format("--engine {}: expected sim (or --base-url URL for a server)", *f.engine));
  }
  if (f.engine && !f.base_url.empty()) {
    return Fail(
        "--engine sim and --base-url exclude each other: choose the engine model or a server");
  }
  if (auto level = ParseLogLevel(f.log_level); !level) return Fail(level.error().message);
  if (f.backend != "turbomind" && f.backend != "pytorch") {
    return Fail(fmt::format("--backend {}: expected turbomind or pytorch", f.backend));
  }
  if (f.cache_max_entry_count && !(*f.cache_max_entry_count > 0 && *f.cache_max_entry_count <= 1)) {
    return Fail(fmt::format("--cache-max-entry-count {}: expected a fraction in (0, 1]",
                            *f.cache_max_entry_count));
  }

  RunFlags run = ToRunFlags(f);
  if (!f.base_url.empty()) {
    NoteNotApplicable(f, kNotForServer, "a server (--base-url)");
    return RunBenchmark(run);
  }
  NoteNotApplicable(f, kNotForEngine, "the engine model (--engine sim)");
  return RunEngineProfile(f, run);
}

}  // namespace servebench::app
