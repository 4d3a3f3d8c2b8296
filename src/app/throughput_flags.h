// The flags of `servebench throughput DATASET MODEL_PATH` (spec/cli.md §1.9, LMDeploy
// profile_throughput's command line), filled by throughput_command.cpp, read by RunThroughput.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/options.h"

namespace servebench::app {

struct ThroughputFlags {
  std::string dataset;                // DATASET: a ShareGPT file
  std::string model_path;             // MODEL_PATH: the tokenizer
  std::optional<std::string> engine;  // --engine: only "sim"; the default without --base-url
  std::string base_url;               // a running server instead of the engine model
  std::string model;                  // the model name sent to the server (default: discovered)

  int64_t concurrency = 64;
  int64_t num_prompts = 2000;
  std::optional<int64_t> top_k;
  std::optional<double> top_p;
  std::optional<double> temperature;
  bool stream_output = true;
  std::string log_level = "ERROR";
  uint64_t seed = 0;
  std::string csv = "./profile_throughput.csv";

  // LMDeploy's engine options.
  int tp = 1;
  std::optional<double> cache_max_entry_count;
  std::optional<int64_t> session_len;
  std::string backend = "turbomind";

  sim::EngineOptions engine_model;  // --max-running, --kv-tokens, ... (engine_flags.h)

  // The long names of the options given on the command line ("--tp"), for the notes about
  // options that do not apply to the chosen target.
  std::vector<std::string> given;
};

// Runs the profile; returns the process exit code (cli.md §7).
int RunThroughput(const ThroughputFlags& flags);

}  // namespace servebench::app
