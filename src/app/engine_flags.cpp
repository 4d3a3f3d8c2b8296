#include "app/engine_flags.h"

#include "app/flag_names.h"

namespace servebench::app {

std::vector<CLI::Option*> AddEngineModelFlags(CLI::App* cmd, sim::EngineOptions& o) {
  return {
      cmd->add_option(Names("--max-running"), o.max_running, "Batch limit of the engine model")
          ->check(CLI::PositiveNumber)
          ->capture_default_str(),
      cmd->add_option(Names("--kv-tokens"), o.kv_tokens, "KV-cache budget in tokens")
          ->check(CLI::PositiveNumber)
          ->capture_default_str(),
      cmd->add_option(Names("--prefill-chunk"), o.prefill_chunk, "Prompt tokens prefilled per step")
          ->check(CLI::PositiveNumber)
          ->capture_default_str(),
      cmd->add_option(Names("--step-base-ms"), o.step_base_ms, "Fixed time of an engine step")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str(),
      cmd->add_option(Names("--prefill-us-per-token"), o.prefill_us_per_token,
                      "Step time per prefilled token")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str(),
      cmd->add_option(Names("--decode-us-per-seq"), o.decode_us_per_seq,
                      "Step time per decoding request")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str(),
  };
}

}  // namespace servebench::app
