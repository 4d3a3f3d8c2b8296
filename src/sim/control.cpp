#include "sim/control.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace servebench::sim {
namespace {

std::string_view OwnedBy(Family family) {
  switch (family) {
    case Family::kVllm:
      return "vllm";
    case Family::kSglang:
      return "sglang";
    case Family::kLmdeploy:
    case Family::kLmdeployLegacy:
      return "lmdeploy";
    case Family::kTrtllmServe:
      return "tensorrt_llm";
    case Family::kTgi:
    case Family::kOpenai:
      return "system";
  }
  return "system";
}

std::string ModelList(Family family, const SimOptions& options) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, R"({{"object":"list","data":[)");
  if (family == Family::kTgi) {
    fmt::format_to(it, R"({{"id":"{0}","object":"model","created":0,"owned_by":"{0}"}}]}})",
                   options.model_name);
    return fmt::to_string(out);
  }
  auto entry = [&](std::string_view id, std::string_view parent) {
    fmt::format_to(it, R"({{"id":"{}","object":"model","created":{},"owned_by":"{}")", id, now,
                   OwnedBy(family));
    if (family == Family::kVllm || family == Family::kSglang) {
      fmt::format_to(it, R"(,"root":"{}","parent":)", id);
      if (parent.empty()) {
        fmt::format_to(it, "null");
      } else {
        fmt::format_to(it, R"("{}")", parent);
      }
      fmt::format_to(it, R"(,"max_model_len":{})", options.max_model_len);
    }
    if (family == Family::kVllm) {
      fmt::format_to(
          it,
          R"(,"permission":[{{"id":"modelperm-serve-sim","object":"model_permission","created":{},"allow_create_engine":false,"allow_sampling":true,"allow_logprobs":true,"allow_search_indices":false,"allow_view":true,"allow_fine_tuning":false,"organization":"*","group":null,"is_blocking":false}}])",
          now);
    }
    out.push_back('}');
  };
  entry(options.model_name, "");
  for (const auto& adapter : options.lora_modules) {
    out.push_back(',');
    entry(adapter, options.model_name);
  }
  fmt::format_to(it, "]}}");
  return fmt::to_string(out);
}

// Prometheus text exposition: HELP/TYPE lines, labels in sorted order, counters with `_total`
// and a `_created` series, as prometheus_client writes them.
class MetricsText {
 public:
  MetricsText(std::string labels, int64_t created)
      : labels_(std::move(labels)), created_(created) {}

  void Gauge(std::string_view name, std::string_view help, double value) {
    fmt::format_to(std::back_inserter(out_), "# HELP {0} {1}\n# TYPE {0} gauge\n{0}{{{2}}} {3}\n",
                   name, help, labels_, value);
  }
  void Counter(std::string_view name, std::string_view help, double value) {
    CounterSeries(name, help, {}, {value});
  }
  // One counter family whose series differ by `label` (values[k] under label="k"); without a
  // label, a single series.
  void CounterSeries(std::string_view name, std::string_view help, std::string_view label,
                     const std::vector<double>& values) {
    auto it = std::back_inserter(out_);
    fmt::format_to(it, "# HELP {0}_total {1}\n# TYPE {0}_total counter\n", name, help);
    for (size_t k = 0; k < values.size(); ++k) {
      std::string labels = labels_;
      if (!label.empty()) labels += fmt::format(R"(,{}="{}")", label, k);
      fmt::format_to(it, "{0}_total{{{1}}} {2}\n{0}_created{{{1}}} {3}\n", name, labels, values[k],
                     static_cast<double>(created_));
    }
  }
  std::string Take() { return fmt::to_string(out_); }

 private:
  std::string labels_;
  int64_t created_;
  fmt::memory_buffer out_;
};

// --spec-draft-tokens, else the fewest draft tokens that can reach the accept length.
int SpecDraftTokens(const SimOptions& o) {
  if (o.spec_draft_tokens) return *o.spec_draft_tokens;
  return std::max(1, static_cast<int>(std::ceil(o.accept_length.value_or(1) - 1)));
}

std::string Metrics(Family family, ServerState& state) {
  const SimOptions& o = state.options;
  int running = state.active_requests.load(std::memory_order_relaxed);
  int waiting = 0;
  double kv_usage = 0;
  if (state.engine) {
    Engine::Stats s = state.engine->GetStats();
    running = s.running;
    waiting = s.waiting;
    kv_usage = static_cast<double>(s.kv_tokens_used) / static_cast<double>(o.engine.kv_tokens);
  }
  double generated = static_cast<double>(state.generation_tokens_total.load());
  double prompt = static_cast<double>(state.prompt_tokens_total.load());
  double succeeded = static_cast<double>(state.requests_succeeded.load());
  switch (family) {
    case Family::kSglang: {
      MetricsText m(fmt::format(R"(model_name="{}")", o.model_name), state.started_unix);
      m.Gauge("sglang:num_running_reqs", "The number of running requests.", running);
      m.Gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue.", waiting);
      m.Gauge("sglang:token_usage", "The token usage.", kv_usage);
      m.Counter("sglang:prompt_tokens", "Number of prefill tokens processed.", prompt);
      m.Counter("sglang:generation_tokens", "Number of generation tokens processed.", generated);
      m.Counter("sglang:num_requests", "The number of processed requests.", succeeded);
      return m.Take();
    }
    case Family::kTgi: {
      MetricsText m("", state.started_unix);
      m.Gauge("tgi_batch_current_size", "Current batch size", running);
      m.Gauge("tgi_queue_size", "Current queue size", waiting);
      m.Counter("tgi_request_success", "Number of successful requests", succeeded);
      m.Counter("tgi_request_generated_tokens", "Generated tokens", generated);
      return m.Take();
    }
    default: {
      // vLLM's names; LMDeploy, trtllm-serve and generic servers are scraped the same way.
      MetricsText m(fmt::format(R"(engine="0",model_name="{}")", o.model_name), state.started_unix);
      m.Gauge("vllm:num_requests_running", "Number of requests in model execution batches.",
              running);
      m.Gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", waiting);
      m.Gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", kv_usage);
      m.Counter("vllm:prompt_tokens", "Number of prefill tokens processed.", prompt);
      m.Counter("vllm:generation_tokens", "Number of generation tokens processed.", generated);
      m.Counter("vllm:request_success", "Count of successfully processed requests.", succeeded);
      if (o.accept_length) {
        // Each draft proposes K tokens and yields accept_length tokens (accept_length - 1 drafted
        // ones accepted), so drafts = generated / accept_length. Positions fill in order: the
        // first ⌊accept_length - 1⌋ are always accepted, the next one by the fraction left.
        // Counts of tokens and drafts are whole numbers, as vLLM's are (rounded once each, so a
        // delta of two scrapes carries no floating-point residue); accepted = Σ positions.
        const double a = *o.accept_length;
        const int k_tokens = SpecDraftTokens(o);
        const double drafts = std::round(generated / a);
        std::vector<double> per_position;
        double accepted = 0;
        for (int k = 0; k < k_tokens; ++k) {
          per_position.push_back(std::round(drafts * std::clamp(a - 1 - k, 0.0, 1.0)));
          accepted += per_position.back();
        }
        m.Counter("vllm:spec_decode_num_drafts", "Number of spec decoding drafts.", drafts);
        m.Counter("vllm:spec_decode_num_draft_tokens", "Number of draft tokens.",
                  drafts * k_tokens);
        m.Counter("vllm:spec_decode_num_accepted_tokens", "Number of accepted tokens.", accepted);
        m.CounterSeries("vllm:spec_decode_num_accepted_tokens_per_pos",
                        "Accepted tokens per draft position.", "position", per_position);
      }
      return m.Take();
    }
  }
}

std::string ServerInfo(ServerState& state) {
  const SimOptions& o = state.options;
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 R"({{"model_path":"{0}","tokenizer_path":"{0}","served_model_name":"{0}",)"
                 R"("host":"{1}","port":{2},"context_length":{3},"max_running_requests":{4},)"
                 R"("chunked_prefill_size":{5},"internal_states":[{{)",
                 o.model_name, o.host, o.port, o.max_model_len, o.engine.max_running,
                 o.engine.prefill_chunk);
  if (o.accept_length) fmt::format_to(it, R"("avg_spec_accept_length":{},)", *o.accept_length);
  double throughput = 0;
  if (state.engine) {
    Engine::Stats s = state.engine->GetStats();
    double step_s =
        (o.engine.step_base_ms + s.running * o.engine.decode_us_per_seq / 1000.0) / 1000.0;
    throughput = s.running > 0 ? s.running / step_s : 0.0;
  }
  fmt::format_to(it, R"("last_gen_throughput":{}}}],"version":"serve-sim-{}"}})", throughput,
                 SERVEBENCH_VERSION);
  return fmt::to_string(out);
}

constexpr std::string_view kFlushText =
    "Cache flushed.\nPlease check backend logs for more details. (When there are running or "
    "waiting requests, the operation will not be performed.)\n";

}  // namespace

std::optional<PlainReply> HandleControl(std::string_view method, std::string_view path,
                                        Family family, ServerState& state) {
  const SimOptions& o = state.options;
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (get && path == "/v1/models") return PlainReply{200, "application/json", ModelList(family, o)};
  if (get && (path == "/health" || path == "/v2/health/ready" || path == "/health_generate")) {
    return PlainReply{200, "text/plain", ""};
  }
  if (get && path == "/metrics") {
    return PlainReply{200, "text/plain; version=0.0.4; charset=utf-8", Metrics(family, state)};
  }
  if (post && path == "/flush_cache") {
    bool busy = state.active_requests.load() > 0;
    return PlainReply{busy ? 400 : 200, "text/plain; charset=utf-8", std::string(kFlushText)};
  }
  if (post && path == "/reset_prefix_cache") return PlainReply{200, "text/plain", ""};
  if (post && path == "/start_profile") {
    return PlainReply{200, "text/plain; charset=utf-8", "Start profiling.\n"};
  }
  if (post && path == "/stop_profile") {
    return PlainReply{200, "text/plain; charset=utf-8",
                      "Stop profiling. This will take some time.\n"};
  }
  if (get && (path == "/server_info" || path == "/get_server_info")) {
    return PlainReply{200, "application/json", ServerInfo(state)};
  }
  if (get && (path == "/model_info" || path == "/get_model_info")) {
    return PlainReply{200, "application/json",
                      fmt::format(R"({{"model_path":"{0}","tokenizer_path":"{0}",)"
                                  R"("is_generation":true,"preferred_sampling_params":null}})",
                                  o.model_name)};
  }
  if (get && path == "/info") {
    return PlainReply{200, "application/json",
                      fmt::format(R"({{"model_id":"{}","model_sha":null,"model_pipeline_tag":)"
                                  R"("text-generation","max_concurrent_requests":{},)"
                                  R"("max_input_tokens":{},"max_total_tokens":{},)"
                                  R"("version":"serve-sim-{}"}})",
                                  o.model_name, o.engine.max_running, o.max_model_len - 1,
                                  o.max_model_len, SERVEBENCH_VERSION)};
  }
  if (get && path == "/v1/models/model") return PlainReply{200, "application/json", "{}"};
  return std::nullopt;
}

}  // namespace servebench::sim
