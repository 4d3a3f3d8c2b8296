// `servebench run`: the flags of spec/cli.md §1 declared on CLI11; the run itself is
// RunBenchmark (run_pipeline.cpp).
#include <memory>
#include <string>
#include <string_view>

#include "app/commands.h"
#include "app/compat_flags.h"
#include "app/control_flags.h"
#include "app/flag_names.h"
#include "app/positional_form.h"
#include "app/result_file_flags.h"
#include "app/run_flags.h"
#include "app/synthetic_dataset_flags.h"

namespace servebench::app {

void AddRunCommand(CLI::App& app, CommandRunner& runner) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "Benchmark an LLM inference server");

  // Target and connection.
  cmd->add_option(Names("--backend"), f->backend,
                  "sglang (default), sglang-native, sglang-oai, "
                  "sglang-oai-chat, vllm, vllm-chat, lmdeploy, "
                  "lmdeploy-chat, trt, truss, tgi, openai, openai-chat");
  cmd->add_option(Names("--base-url"), f->base_url,
                  "scheme://host:port[/prefix]; overrides host, port");
  cmd->add_option(Names("--host"), f->host, "Server host (default 127.0.0.1)");
  cmd->add_option(Names("--port"), f->port, "Server port (default per backend)");
  cmd->add_option(Names("--endpoint"), f->endpoint, "Request path override");
  cmd->add_option(Names("--header"), f->headers, "Extra request headers K=V");
  cmd->add_flag(Names("--insecure"), f->insecure, "Skip TLS certificate verification");
  cmd->add_flag(Names("--http2"), f->http2, "HTTP/2");
  CLI::Option* kernel_stamps = cmd->add_flag_callback(
      Names("--kernel-timestamps"), [f] { f->kernel_timestamps = true; },
      "Require the kernel's receive time as read stamps (SO_TIMESTAMPNS; the default where the "
      "system gives it)");
  CLI::Option* user_stamps = cmd->add_flag_callback(
      Names("--no-kernel-timestamps"), [f] { f->kernel_timestamps = false; },
      "Stamp reads in user space, as the Python tools do");
  kernel_stamps->excludes(user_stamps);
  cmd->add_option(Names("--request-timeout"), f->request_timeout_s, "Seconds per request (21600)");
  cmd->add_option(Names("--request-id-prefix"), f->request_id_prefix, "X-Request-Id prefix");
  cmd->add_option(Names("--ready-check-timeout-sec,--ready-check-timeout"),
                  f->ready_check_timeout_s,
                  "Seconds to wait for the server to be ready; 0 skips (60)");
  cmd->add_option(Names("--max-tokens-field"), f->max_tokens_field,
                  "max_completion_tokens, max_tokens or both");
  cmd->add_option(Names("--done-grace-ms"), f->done_grace_ms,
                  "Wait for the message end after [DONE]");
  cmd->add_option(Names("--max-event-bytes"), f->max_event_bytes, "Largest accepted SSE event");
  cmd->add_flag(Names("--incremental-text"), f->incremental_text, "Native text is a delta");
  cmd->add_flag(Names("--trt-accumulated-text"), f->trt_accumulated_text, "trt text is cumulative");
  cmd->add_option(Names("--client-threads"), f->client_threads,
                  "Event loops (default: cores, max 4)");
  cmd->add_option(Names("--drain-timeout"), f->drain_timeout_s,
                  "Seconds requests in flight get after Ctrl-C (5)");

  // Model and tokenizer.
  cmd->add_option(Names("--model"), f->model, "Model name (default: from /v1/models)");
  cmd->add_option(Names("--served-model-name"), f->served_model_name, "Value of the body's model");
  cmd->add_option(Names("--tokenizer"), f->tokenizer, "tokenizer.json, model directory or hub id");
  cmd->add_option(Names("--model-path"), f->model_path, "Tokenizer fallback");

  // Dataset.
  cmd->add_option(Names("--dataset-name"), f->dataset_name, "Dataset (sharegpt)");
  cmd->add_option(Names("--dataset-path"), f->dataset_path, "Dataset file");
  cmd->add_option(Names("--num-prompts,-n"), f->num_prompts, "Requests (1000)");
  cmd->add_option(Names("--seed"), f->seed, "Master seed (42)");
  cmd->add_flag(Names("--disable-shuffle"), f->disable_shuffle, "Keep file order");
  cmd->add_flag(Names("--tokenize-prompt"), f->tokenize_prompt, "Send token ids (sglang backends)");
  cmd->add_option(Names("--range-semantics"), f->range_semantics, "sglang or vllm");
  cmd->add_option(Names("--random-input-len,--input-len"), f->random_input_len,
                  "Input length (1024)");
  cmd->add_option(Names("--random-output-len,--output-len"), f->random_output_len,
                  "Output length (1024)");
  cmd->add_option(Names("--random-range-ratio"), f->random_range_ratio, "Range ratio (0.0)");
  cmd->add_option(Names("--random-prefix-len"), f->random_prefix_len, "Shared prefix tokens (0)");
  cmd->add_flag(Names("--oversample"), f->oversample, "Fill up to --num-prompts by resampling");
  cmd->add_flag(Names("--no-oversample"), f->no_oversample, "No oversampling (--compat vllm)");
  cmd->add_flag(Names("--skip-invalid-lines"), f->skip_invalid_lines, "Skip bad JSONL lines");
  cmd->add_option(Names("--sharegpt-output-len"), f->sharegpt_output_len, "Fixed output length");
  cmd->add_option(Names("--sharegpt-context-len"), f->sharegpt_context_len,
                  "Drop pairs whose prompt + output exceed it");
  cmd->add_option(Names("--prompt-suffix"), f->prompt_suffix, "Appended before 'Assistant:'");
  cmd->add_flag(Names("--apply-chat-template"), f->apply_chat_template,
                "Render prompts through the chat template");
  cmd->add_flag(Names("--multi-turn"), f->multi_turn, "Conversations become sessions");
  cmd->add_option(Names("--max-turns"), f->max_turns, "Rounds per session cap (all)");
  cmd->add_flag(Names("--dry-run"), f->dry_run,
                "Prepare the workload, print its summary, contact no server");
  AddSyntheticDatasetFlags(*cmd, *f);

  // Load.
  cmd->add_option(Names("--request-rate"), f->request_rate, "Mean request rate, req/s (inf)");
  cmd->add_option(Names("--burstiness"), f->burstiness, "Gamma shape; 1 = Poisson");
  cmd->add_flag(Names("--schedule-normalize"), f->schedule_normalize, "Mean gap exactly 1/rate");
  cmd->add_option(Names("--max-concurrency"), f->max_concurrency, "Cap on requests in flight");
  cmd->add_option(Names("--concurrency,-c"), f->concurrency, "Closed loop with N workers");
  cmd->add_option(Names("--warmup-requests"), f->warmup_requests, "Warmup copies of row 0 (1)");
  cmd->add_option(Names("--num-warmups"), f->num_warmups, "vLLM warmup count (full length)");
  cmd->add_flag(Names("--disable-warmup"), f->disable_warmup, "No warmup");
  cmd->add_option(Names("--cancel-rate"), f->cancel_rate,
                  "Fraction of requests closed mid-stream (0)");
  cmd->add_option(Names("--lora-name,--lora-modules"), f->lora_names, "LoRA adapter names");
  cmd->add_option(Names("--lora-request-distribution,--lora-assignment"),
                  f->lora_request_distribution, "uniform, distinct, skewed (random, round-robin)");
  cmd->add_option(Names("--lora-zipf-alpha"), f->lora_zipf_alpha, "Skew of skewed (1.5)");
  cmd->add_option(Names("--ramp-up-strategy"), f->ramp_up_strategy, "linear or exponential");
  cmd->add_option(Names("--ramp-up-start-rps"), f->ramp_up_start_rps, "Ramp start rate");
  cmd->add_option(Names("--ramp-up-end-rps"), f->ramp_up_end_rps, "Ramp end rate");
  cmd->add_flag(Names("--use-trace-timestamps"), f->use_trace_timestamps,
                "Send rows at their trace timestamps");
  cmd->add_option(Names("--mooncake-slowdown-factor"), f->mooncake_slowdown_factor,
                  "Trace time multiplier (1.0)");
  cmd->add_option(Names("--turn-gap-ms"), f->turn_gap_ms, "Pause between rounds of a session (0)");
  cmd->add_option(Names("--multi-turn-history"), f->multi_turn_history,
                  "generated (default) or dataset assistant turns");
  cmd->add_option(Names("--post-warmup-sleep"), f->post_warmup_sleep_s,
                  "Seconds to wait after the warmup (0; sglang 1.0, lmdeploy 1.5)");
  AddSweepAndControlFlags(*cmd, *f);

  // Request shaping.
  cmd->add_flag(Names("--disable-stream,--no-stream-output"), f->disable_stream,
                "Non-streaming requests");
  cmd->add_flag(Names("--disable-ignore-eos"), f->disable_ignore_eos, "Do not ask to ignore EOS");
  cmd->add_flag(Names("--ignore-eos"), f->ignore_eos, "Ask for ignore-EOS on strict backends");
  cmd->add_option(Names("--temperature"), f->temperature, "Sampling temperature (0.0)");
  cmd->add_option(Names("--top-p"), f->top_p, "Sent when < 1");
  cmd->add_option(Names("--top-k"), f->top_k, "Sent when given");
  cmd->add_option(Names("--min-p"), f->min_p, "Sent when given");
  cmd->add_option(Names("--frequency-penalty"), f->frequency_penalty, "Sent when given");
  cmd->add_option(Names("--presence-penalty"), f->presence_penalty, "Sent when given");
  cmd->add_option(Names("--repetition-penalty"), f->repetition_penalty, "Sent when given");
  cmd->add_option(Names("--extra-request-body,--extra-body"), f->extra_request_body,
                  "JSON object merged into every body");
  cmd->add_flag(Names("--no-usage-request"), f->no_usage_request, "Do not send stream_options");
  cmd->add_flag(Names("--continuous-usage"), f->continuous_usage, "Ask for usage on every chunk");
  AddCompatFlags(*cmd, *f);  // tokenizer mode, logprobs, --print-requests, ...

  // Metrics and validity.
  cmd->add_option(Names("--compat"), f->compat, "sglang, vllm or lmdeploy measurement rules");
  cmd->add_option(Names("--metric-percentiles"), f->metric_percentiles, "Percentiles (90,95,99)");
  cmd->add_option(Names("--percentile-metrics"), f->percentile_metrics, "ttft,tpot,itl,e2el");
  cmd->add_option(Names("--goodput"), f->goodput, "SLOs KEY:MS");
  cmd->add_option(Names("--max-send-lag-ms"), f->max_send_lag_ms, "p99 send-lag bound (1.0)");
  cmd->add_flag(Names("--fail-on-invalid"), f->fail_on_invalid, "Exit code 3 for an invalid run");

  // Output.
  cmd->add_option(Names("--output-file"), f->output_file, "JSONL file, one line appended per run");
  cmd->add_flag(Names("--output-details"), f->output_details,
                "Per-request arrays in the JSONL line");
  cmd->add_option(Names("--tag"), f->tag, "Free text stored as tag");
  cmd->add_option(Names("--csv"), f->csv, "CSV file, one row appended per run");
  cmd->add_flag(Names("--disable-tqdm"), f->disable_tqdm, "No progress line");
  AddResultFileFlags(*cmd, *f);  // --save-result and friends, --request-log

  cmd->callback([f, cmd, &runner] {
    Status form = ApplyPositionalForm(
        *f, [cmd](std::string_view flag) { return cmd->count(std::string(flag)) > 0; });
    if (!form) throw CLI::ValidationError(form.error().message);
    runner = [f] { return RunBenchmark(*f); };
  });
}

}  // namespace servebench::app
