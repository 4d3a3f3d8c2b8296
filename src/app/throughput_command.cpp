// `servebench throughput DATASET MODEL_PATH`: the flags of spec/cli.md §1.9 declared on CLI11;
// the profile itself is RunThroughput (throughput_run.cpp).
#include <memory>

#include "app/commands.h"
#include "app/engine_flags.h"
#include "app/flag_names.h"
#include "app/throughput_flags.h"

namespace servebench::app {

void AddThroughputCommand(CLI::App& app, CommandRunner& runner) {
  auto f = std::make_shared<ThroughputFlags>();
  CLI::App* cmd = app.add_subcommand(
      "throughput",
      "Closed-loop throughput profile (LMDeploy profile_throughput) of serve-sim's engine model "
      "in simulated time, or of a server with --base-url");

  cmd->add_option("DATASET", f->dataset, "ShareGPT JSON file")->required();
  cmd->add_option("MODEL_PATH", f->model_path, "tokenizer.json, model directory or hub id")
      ->required();
  cmd->add_option(Names("--engine"), f->engine,
                  "sim: serve-sim's engine model in-process (the default without --base-url)");
  cmd->add_option(Names("--base-url"), f->base_url, "Profile a running server (lmdeploy backend)");
  cmd->add_option(Names("--model"), f->model, "Model name sent with --base-url (discovered)");

  cmd->add_option(Names("--concurrency,-c"), f->concurrency, "Workers of the closed loop")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option(Names("--num-prompts,-n"), f->num_prompts, "Requests")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option(Names("--top-k"), f->top_k, "Sampling top-k (sent with --base-url)");
  cmd->add_option(Names("--top-p"), f->top_p, "Sampling top-p (sent with --base-url)");
  cmd->add_option(Names("--temperature"), f->temperature, "Sampling temperature (--base-url)");
  cmd->add_flag(Names("--stream-output,!--no-stream-output"), f->stream_output,
                "Streamed output (default on): TTFT, TPOT and ITL are reported");
  cmd->add_option(Names("--log-level"), f->log_level,
                  "DEBUG, INFO, WARNING, ERROR or CRITICAL (accepted; servebench logs errors only)")
      ->capture_default_str();
  cmd->add_option(Names("--seed"), f->seed, "Seed of the prompt sample")->capture_default_str();
  cmd->add_option(Names("--csv"), f->csv, "CSV file, one row appended")->capture_default_str();

  cmd->add_option(Names("--tp"), f->tp, "Tensor parallelism: divides the engine's step time")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option(Names("--cache-max-entry-count"), f->cache_max_entry_count,
                  "LMDeploy's KV-cache memory fraction (not applicable: use --kv-tokens)");
  cmd->add_option(Names("--session-len"), f->session_len,
                  "Context limit: prompt + output tokens per request (engine model)")
      ->check(CLI::PositiveNumber);
  cmd->add_option(Names("--backend"), f->backend,
                  "turbomind or pytorch (accepted; the engine model stands for both)")
      ->capture_default_str();
  AddEngineModelFlags(cmd, f->engine_model);

  cmd->callback([f, cmd, &runner] {
    for (const CLI::Option* option : cmd->get_options()) {
      if (option->count() > 0 && !option->get_lnames().empty())
        f->given.push_back("--" + option->get_lnames().front());
    }
    runner = [f] { return RunThroughput(*f); };
  });
}

}  // namespace servebench::app
