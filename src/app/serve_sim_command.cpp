// `servebench serve-sim`: the simulated inference server (spec/protocols.md §9).
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/engine_flags.h"
#include "sim/options.h"
#include "sim/server.h"

namespace servebench::app {
namespace {

struct ServeSimFlags {
  sim::SimOptions options;
  std::string family = "sglang";
  std::string pace;
  std::string sse_style = "lf";
  std::vector<std::string> faults;
  std::string accept_length;
};

// Turns the flags that need more than CLI11's checks into options; the message names the flag.
std::string Resolve(ServeSimFlags& f) {
  if (!sim::ParseFamily(f.family, &f.options.family)) {
    return "--family " + f.family +
           ": expected sglang, vllm, lmdeploy, lmdeploy-legacy, trtllm-serve, tgi or openai";
  }
  if (!f.pace.empty()) {
    double ttft = 0, itl = 0;
    size_t comma = f.pace.find(',');
    bool ok = comma != std::string::npos;
    if (ok) {
      const char* b = f.pace.data();
      auto r1 = std::from_chars(b, b + comma, ttft);
      auto r2 = std::from_chars(b + comma + 1, b + f.pace.size(), itl);
      ok = r1.ec == std::errc() && r1.ptr == b + comma && r2.ec == std::errc() &&
           r2.ptr == b + f.pace.size() && ttft >= 0 && itl >= 0;
    }
    if (!ok) return "--pace " + f.pace + ": expected TTFT_MS,ITL_MS such as 50,20";
    f.options.pace_ttft_ms = ttft;
    f.options.pace_itl_ms = itl;
  }
  if (f.options.instant && f.options.pace_ttft_ms) return "--instant and --pace exclude each other";
  if (f.sse_style != "lf" && f.sse_style != "crlf") {
    return "--sse-style " + f.sse_style + ": expected lf or crlf";
  }
  f.options.crlf = f.sse_style == "crlf";
  for (const std::string& spec : f.faults) {
    sim::Fault fault;
    if (!sim::ParseFault(spec, &fault)) {
      return "--fault " + spec + ": expected KIND[:P] with P in [0,1] and KIND one of " +
             sim::FaultKindList();
    }
    f.options.faults.push_back(fault);
  }
  if (!f.accept_length.empty()) {
    double value = 0;
    const char* b = f.accept_length.data();
    auto r = std::from_chars(b, b + f.accept_length.size(), value);
    if (r.ec != std::errc() || r.ptr != b + f.accept_length.size() || value < 1) {
      return "--accept-length " + f.accept_length + ": expected a number >= 1";
    }
    f.options.accept_length = value;
  }
  if (f.options.spec_draft_tokens) {
    if (!f.options.accept_length) return "--spec-draft-tokens: needs --accept-length";
    if (*f.options.accept_length > *f.options.spec_draft_tokens + 1) {
      return "--spec-draft-tokens " + std::to_string(*f.options.spec_draft_tokens) +
             ": expected at least --accept-length - 1";
    }
  }
  return "";
}

}  // namespace

void AddServeSimCommand(CLI::App& app, CommandRunner& runner) {
  auto flags = std::make_shared<ServeSimFlags>();
  sim::SimOptions& o = flags->options;
  CLI::App* cmd = app.add_subcommand(
      "serve-sim", "Run a simulated inference server that speaks every supported protocol");
  cmd->add_option("--host", o.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--family", flags->family,
                  "Dialect of the OpenAI routes: sglang, vllm, lmdeploy, lmdeploy-legacy, "
                  "trtllm-serve, tgi, openai")
      ->capture_default_str();
  cmd->add_option("--model-name", o.model_name, "Served model name")->capture_default_str();
  cmd->add_option("--tokenizer", o.tokenizer,
                  "Count prompt tokens with this tokenizer (file, model directory or hub id) "
                  "instead of whitespace-separated words");
  cmd->add_option("--max-model-len", o.max_model_len, "Context length")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--api-key", o.api_key, "Require 'Authorization: Bearer KEY' on /v1 and /v2");
  cmd->add_option("--lora-modules", o.lora_modules, "Adapter names served besides the model")
      ->delimiter(',');
  cmd->add_option("--threads", o.threads, "I/O threads (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", o.max_body_bytes, "Larger request bodies get 413")
      ->capture_default_str();

  AddEngineModelFlags(cmd, o.engine);
  cmd->add_option("--tokens-per-event", o.tokens_per_event, "Tokens carried by one event")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--pace", flags->pace,
                  "TTFT_MS,ITL_MS: fixed timing per request instead of the engine model");
  cmd->add_flag("--instant", o.instant, "Write every event at once (a client's ceiling)");
  cmd->add_option("--eos-mean-tokens", o.eos_mean_tokens,
                  "Mean output length of requests without ignore_eos")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of generated text, lengths and faults")
      ->capture_default_str();

  cmd->add_option("--sse-style", flags->sse_style, "Event separators: lf or crlf")
      ->capture_default_str();
  cmd->add_option("--ping-ms", o.ping_ms, "Comment ping after this much idleness (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--keepalive-ms", o.keepalive_ms, "TGI keep-alive comment after idleness")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--empty-events", o.empty_events,
                  "Probability of an empty-text event between tokens")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--trt-accumulate", o.trt_accumulate, "Triton text_output is cumulative");
  cmd->add_option("--accept-length", flags->accept_length,
                  "Speculative-decoding accept length reported by /server_info and /metrics");
  cmd->add_option("--spec-draft-tokens", o.spec_draft_tokens,
                  "Draft tokens per draft in vLLM's spec-decode counters (default: "
                  "ceil(accept length - 1))")
      ->check(CLI::Range(1, 64));

  cmd->add_option("--cached-tokens", o.cached_tokens,
                  "Prompt tokens every request finds in the prefix cache (SGLang's reports)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--hide-route", o.hidden_routes,
                  "Answer 404 on PATH, as a server without that route (repeatable)")
      ->check([](const std::string& path) {
        return path.starts_with("/") ? std::string() : "expected a path starting with /";
      });
  cmd->add_option("--fault", flags->faults, "KIND[:P]: inject a fault with probability P")
      ->take_all();
  cmd->add_option("--stall-ms", o.stall_ms, "Pause of the stall fault")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--slow-headers-ms", o.slow_headers_ms, "Delay of the slow-headers fault")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--oversized-bytes", o.oversized_bytes, "Size of the oversized-event fault")
      ->capture_default_str();
  cmd->add_option("--done-hold-ms", o.done_hold_ms,
                  "no-terminator fault: how long the connection stays open after [DONE]")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--trace-out", o.trace_out, "Write per-request server timestamps (JSONL)");

  cmd->callback([flags, &runner] {
    runner = [flags] {
      if (std::string error = Resolve(*flags); !error.empty()) {
        std::fprintf(stderr, "serve-sim: %s\n", error.c_str());
        return 2;
      }
      return sim::RunServeSim(flags->options);
    };
  });
}

}  // namespace servebench::app
