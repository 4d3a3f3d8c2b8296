#include "app/compat_flags.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include <fmt/format.h>

#include "app/flag_names.h"
#include "report/printed_requests.h"
#include "report/throughput_plot.h"

namespace servebench::app {
namespace {

// A tokenizer that knows no token: with --skip-tokenizer-init every count the client would make
// is 0 and the server's usage counts are the only ones.
class AbsentTokenizer final : public tokenizer::Tokenizer {
 public:
  void EncodeInto(std::string_view, bool, std::vector<int32_t>&) const override {}
  std::string Decode(std::span<const int32_t>, bool) const override { return ""; }
  size_t VocabSize() const override { return 0; }
  std::optional<std::string> IdToToken(int32_t) const override { return std::nullopt; }
  std::optional<int32_t> TokenToId(std::string_view) const override { return std::nullopt; }
  bool IsSpecial(int32_t) const override { return false; }
};

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The prompt of a record's row as it was sent: text, chat messages one per line, token ids by
// count, or the session round's user turn.
std::string PromptText(const dataset::WorkloadRow& row, const metrics::RequestRecord& r) {
  if (!row.rounds.empty()) {
    size_t round = static_cast<size_t>(r.round.value_or(0));
    return round < row.rounds.size() ? row.rounds[round].user_text : "";
  }
  if (!row.messages.empty()) {
    std::string out;
    for (const ChatMessage& m : row.messages)
      out += fmt::format("{}{}: {}", out.empty() ? "" : "\n", m.role, m.content);
    return out;
  }
  if (!row.prompt_ids.empty()) return fmt::format("[{} token ids]", row.prompt_ids.size());
  return row.prompt_text;
}

}  // namespace

Expected<LogLevel> ParseLogLevel(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, LogLevel>, 7> kLevels = {{
      {"DEBUG", LogLevel::kDebug},
      {"INFO", LogLevel::kInfo},
      {"WARNING", LogLevel::kWarning},
      {"WARN", LogLevel::kWarning},
      {"ERROR", LogLevel::kError},
      {"CRITICAL", LogLevel::kCritical},
      {"FATAL", LogLevel::kCritical},
  }};
  std::string upper = Upper(text);
  for (const auto& [name, level] : kLevels) {
    if (upper == name) return level;
  }
  return MakeError("--log-level {}: expected DEBUG, INFO, WARNING, ERROR or CRITICAL", text);
}

void AddCompatFlags(CLI::App& cmd, RunFlags& f) {
  cmd.add_option(Names("--tokenizer-mode"), f.tokenizer_mode,
                 "auto (default) or hf; both load tokenizer.json / SentencePiece");
  cmd.add_flag(Names("--trust-remote-code"), f.trust_remote_code,
               "Accepted for compatibility; no effect (servebench runs no model code)");
  cmd.add_option(Names("--log-level"), f.log_level,
                 "DEBUG or INFO print the set-up on stderr (DEBUG: also the first body); "
                 "WARNING (default), ERROR, CRITICAL change nothing");
  cmd.add_option(Names("--chat-template-kwargs"), f.chat_template_kwargs,
                 "JSON object of chat-template variables, e.g. {\"enable_thinking\": false}");
  cmd.add_flag(Names("--skip-tokenizer-init"), f.skip_tokenizer_init,
               "No client tokenizer: counts from server usage only (dataset openai only)");
  cmd.add_flag(Names("--print-requests"), f.print_requests,
               "Print each prompt and generated text (after the run, in the order they ended)");
  cmd.add_flag(Names("--plot-throughput"), f.plot_throughput,
               "Terminal plot of output tokens/s and requests in flight per second");
  cmd.add_flag(Names("--cache-report"), f.cache_report,
               "Report prefix-cache hits (meta_info.cached_tokens; --backend sglang)");
  cmd.add_flag(Names("--return-logprob"), f.return_logprob, "Request logprobs (SGLang)");
  cmd.add_option(Names("--top-logprobs-num"), f.top_logprobs_num, "Top logprobs per token (0)");
  cmd.add_option(Names("--token-ids-logprob"), f.token_ids_logprob,
                 "Token ids whose logprobs are returned (native /generate)");
  cmd.add_option(Names("--logprob-start-len"), f.logprob_start_len,
                 "Native logprob_start_len (-1)");
  cmd.add_option(Names("--logprobs"), f.logprobs, "Completions logprobs value (vLLM)");
}

Status ApplyCompatFlags(const RunFlags& f, const protocol::BackendInfo& backend,
                        protocol::RequestOptions& options, metrics::RunSettings& settings) {
  if (f.tokenizer_mode != "auto" && f.tokenizer_mode != "hf") {
    return MakeError("--tokenizer-mode {}: expected auto or hf", f.tokenizer_mode);
  }
  if (!f.log_level.empty()) {
    if (auto level = ParseLogLevel(f.log_level); !level) return std::unexpected(level.error());
  }
  if (!f.chat_template_kwargs.empty()) {
    auto kwargs = tmpl::ParseTemplateKwargs(f.chat_template_kwargs, "--chat-template-kwargs");
    if (!kwargs) return std::unexpected(kwargs.error());
  }
  if (f.skip_tokenizer_init && f.dataset_name != "openai") {
    return MakeError(
        "--skip-tokenizer-init: --dataset-name {} needs the client tokenizer to build or count "
        "its prompts; only --dataset-name openai works without one",
        f.dataset_name);
  }
  if (f.top_logprobs_num < 0) {
    return MakeError("--top-logprobs-num {}: expected >= 0", f.top_logprobs_num);
  }
  if (f.logprobs && *f.logprobs < 0) {
    return MakeError("--logprobs {}: expected >= 0", *f.logprobs);
  }
  if (f.logprob_start_len < -1) {
    return MakeError("--logprob-start-len {}: expected -1 or a position >= 0", f.logprob_start_len);
  }
  // SGLang reports cached tokens: meta_info.cached_tokens on its native route, and on its OpenAI
  // routes sglext.cached_tokens_details when the request asks (docs/compat-flags.md).
  if (f.cache_report && backend.family != "sglang") {
    return MakeError(
        "--cache-report: --backend {} does not report cached tokens; use an SGLang backend "
        "(sglang, sglang-native, sglang-oai, sglang-oai-chat)",
        backend.name);
  }
  settings.cache_report = f.cache_report;
  options.return_cached_tokens_details =
      f.cache_report && backend.style != protocol::Style::kNative;
  options.return_logprob = f.return_logprob;
  options.top_logprobs_num = f.top_logprobs_num;
  options.token_ids_logprob = f.token_ids_logprob;
  options.logprob_start_len = f.logprob_start_len;
  options.logprobs = f.logprobs;
  return Ok();
}

tmpl::TemplateKwargs ChatTemplateKwargs(const RunFlags& f) {
  if (f.chat_template_kwargs.empty()) return {};
  auto kwargs = tmpl::ParseTemplateKwargs(f.chat_template_kwargs, "--chat-template-kwargs");
  return kwargs ? std::move(*kwargs) : tmpl::TemplateKwargs{};
}

Expected<std::unique_ptr<tokenizer::Tokenizer>> LoadRunTokenizer(const RunFlags& f,
                                                                 const std::string& name) {
  if (f.skip_tokenizer_init) return std::make_unique<AbsentTokenizer>();
  return tokenizer::LoadTokenizer(name);
}

bool IsAbsentTokenizer(const tokenizer::Tokenizer& t) {
  return dynamic_cast<const AbsentTokenizer*>(&t) != nullptr;
}

void LogSetUp(const RunFlags& f, std::string_view url, std::string_view model,
              std::string_view tokenizer_name, std::span<const std::string> bodies) {
  if (f.log_level.empty()) return;
  auto level = ParseLogLevel(f.log_level);
  if (!level || *level > LogLevel::kInfo) return;
  // Credentials in the URL (http://user:secret@host/...) are not printed.
  std::string shown(url);
  if (size_t scheme = shown.find("://"); scheme != std::string::npos) {
    size_t host = scheme + 3;
    size_t at = shown.find('@', host);
    if (at != std::string::npos && at < shown.find('/', host))
      shown.replace(host, at - host, "***");
  }
  std::string lines = fmt::format(
      "servebench run: info: request URL {}\n"
      "servebench run: info: model {}\n"
      "servebench run: info: tokenizer {}\n"
      "servebench run: info: {} requests built\n",
      shown, model, f.skip_tokenizer_init ? "none (--skip-tokenizer-init)" : tokenizer_name,
      bodies.size());
  if (*level == LogLevel::kDebug && !bodies.empty()) {
    lines += fmt::format("servebench run: debug: first request body {}\n", bodies.front());
  }
  std::fputs(lines.c_str(), stderr);
}

void PrintRequests(std::span<const dataset::WorkloadRow> rows,
                   std::span<const metrics::RequestRecord> records) {
  std::string text = report::RenderPrintedRequests(records, [&](const metrics::RequestRecord& r) {
    // A multi-turn round's record index counts rounds; its row is its session.
    size_t index = static_cast<size_t>(r.session ? *r.session : r.index);
    return index < rows.size() ? PromptText(rows[index], r) : std::string();
  });
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void PlotThroughput(std::span<const metrics::RequestRecord> records) {
  std::vector<report::ThroughputBin> bins = report::ThroughputBins(records);
  std::string text = report::RenderThroughputPlot(bins);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace servebench::app
