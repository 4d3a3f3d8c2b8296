// The flags of `servebench run` (spec/cli.md §1) as one plain struct, filled by CLI11 in
// run_command.cpp and read by the run (run_pipeline.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset.h"

namespace servebench::app {

struct RunFlags {
  // Target and connection.
  std::string backend = "sglang";
  std::string base_url;
  std::string host = "127.0.0.1";
  std::optional<int> port;
  std::string endpoint;
  std::vector<std::string> headers;  // K=V
  bool insecure = false;
  bool http2 = false;
  std::optional<double> request_timeout_s;
  std::optional<std::string> request_id_prefix;
  double ready_check_timeout_s = 60;
  std::string max_tokens_field = "max_completion_tokens";
  int64_t done_grace_ms = 2000;
  int64_t max_event_bytes = int64_t{64} << 20;
  bool incremental_text = false;
  bool trt_accumulated_text = false;
  int64_t client_threads = 0;  // 0: cores, at most 4
  double drain_timeout_s = 5;
  // Read stamps from the kernel (spec/beyond.md 12): true with --kernel-timestamps (required),
  // false with --no-kernel-timestamps, unset: wherever the system gives them.
  std::optional<bool> kernel_timestamps;

  // Model and tokenizer.
  std::string model;
  std::string served_model_name;
  std::string tokenizer;
  std::string model_path;
  // SGLang's and vLLM's compatibility flags (compat_flags.cpp, docs/compat-flags.md).
  std::string tokenizer_mode = "auto";
  bool trust_remote_code = false;
  std::string log_level;  // empty: WARNING
  std::string chat_template_kwargs;
  bool skip_tokenizer_init = false;
  bool print_requests = false;
  bool plot_throughput = false;
  bool cache_report = false;
  bool return_logprob = false;
  int64_t top_logprobs_num = 0;
  std::vector<int64_t> token_ids_logprob;
  int64_t logprob_start_len = -1;
  std::optional<int64_t> logprobs;

  // Dataset.
  std::string dataset_name = "sharegpt";
  std::string dataset_path;
  int64_t num_prompts = 1000;
  uint64_t seed = 42;
  bool disable_shuffle = false;
  bool tokenize_prompt = false;
  std::string range_semantics = "sglang";
  int64_t random_input_len = 1024;
  int64_t random_output_len = 1024;
  std::string random_range_ratio = "0.0";
  int64_t random_prefix_len = 0;
  bool oversample = false;
  bool no_oversample = false;
  bool skip_invalid_lines = false;
  std::optional<int64_t> sharegpt_output_len;
  std::optional<int64_t> sharegpt_context_len;
  std::string prompt_suffix;
  bool apply_chat_template = false;
  bool multi_turn = false;
  std::optional<int64_t> max_turns;
  bool dry_run = false;  // --dry-run: prepare the workload, print its summary, send nothing
  // gsp, image, mooncake, sonnet, prefix_repetition flags, bound in place
  // (synthetic_dataset_flags.cpp); MapDatasetOptions starts from these values.
  dataset::DatasetOptions synthetic_dataset;

  // Load.
  std::string request_rate = "inf";
  std::string burstiness = "1.0";
  bool schedule_normalize = false;
  std::optional<int64_t> max_concurrency;
  std::optional<int64_t> concurrency;
  int64_t warmup_requests = 1;
  std::optional<int64_t> num_warmups;
  bool disable_warmup = false;
  double cancel_rate = 0;
  std::vector<std::string> lora_names;
  std::string lora_request_distribution = "uniform";
  double lora_zipf_alpha = 1.5;
  // Ramp-up, trace timing, sessions, pause (run_timing.cpp, run_sessions.cpp).
  std::optional<std::string> ramp_up_strategy;
  std::optional<double> ramp_up_start_rps;
  std::optional<double> ramp_up_end_rps;
  bool use_trace_timestamps = false;
  double mooncake_slowdown_factor = 1.0;
  double turn_gap_ms = 0;
  std::string multi_turn_history = "generated";
  std::optional<double> post_warmup_sleep_s;  // unset: the compat mode's pause

  // Rate sweeps, calibration, server control (run_cycle.cpp, server_control.cpp).
  bool multi = false;
  std::optional<std::string> request_rate_range;  // default "2,34,2" with --multi
  std::optional<std::string> request_rates;
  bool calibrate = false;
  double calibrate_seconds = 5;
  bool flush_cache = false;
  double flush_cache_timeout_s = 60;
  bool profile = false;
  std::vector<std::string> profile_activities;
  std::optional<int64_t> profile_start_step;
  std::optional<int64_t> profile_steps;  // --profile-steps / --profile-num-steps
  bool profile_by_stage = false;
  std::vector<std::string> profile_stages;
  std::string profile_output_dir;
  std::string profile_prefix;
  bool pd_separated = false;
  std::vector<std::string> profile_prefill_urls;
  std::vector<std::string> profile_decode_urls;
  // LMDeploy's positional form SERVER_ADDR TOKENIZER_PATH DATASET (positional_form.cpp).
  std::vector<std::string> positional;
  bool stream_output = false;  // --stream-output: streaming in the positional form

  // Request shaping.
  bool disable_stream = false;
  bool disable_ignore_eos = false;
  bool ignore_eos = false;
  std::optional<double> temperature;
  double top_p = 1.0;
  std::optional<int64_t> top_k;
  std::optional<double> min_p;
  std::optional<double> frequency_penalty;
  std::optional<double> presence_penalty;
  std::optional<double> repetition_penalty;
  std::string extra_request_body;
  bool no_usage_request = false;
  bool continuous_usage = false;

  // Metrics and validity.
  std::string compat;
  std::string metric_percentiles;
  std::string percentile_metrics;
  std::vector<std::string> goodput;
  double max_send_lag_ms = 1.0;
  bool fail_on_invalid = false;

  // Output.
  std::string output_file;
  // Off for `servebench throughput --base-url`: LMDeploy's profile_throughput writes only --csv,
  // so no result line goes to a default-named file in the working directory.
  bool write_result_line = true;
  bool output_details = false;
  std::optional<std::string> tag;
  std::string csv;
  bool disable_tqdm = false;
  // vLLM's result file and the request log (result_files.cpp, docs/outputs.md).
  bool save_result = false;
  bool save_detailed = false;
  bool append_result = false;
  std::string result_dir;
  std::string result_filename;
  std::string label;                  // empty: the backend
  std::vector<std::string> metadata;  // KEY=VALUE
  std::string request_log;

  std::vector<std::string> command_line;
};

// Runs the benchmark; returns the process exit code (spec/cli.md §7).
int RunBenchmark(const RunFlags& flags);

}  // namespace servebench::app
