// The compatibility flags of SGLang's bench_serving and vLLM's bench serve that `servebench run`
// accepts (spec/cli.md §1.2, §1.5, §1.8; decisions in docs/compat-flags.md): declared on the run
// subcommand, checked and applied to the request options, and the run-time helpers they need
// (--log-level's set-up lines, --skip-tokenizer-init's absent tokenizer, --print-requests).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/run_flags.h"
#include "common/status.h"
#include "dataset/workload_row.h"
#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "protocol/backend.h"
#include "protocol/request.h"
#include "template/template_kwargs.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {

void AddCompatFlags(CLI::App& cmd, RunFlags& f);

// Python logging's level names (case-insensitive), shared with `servebench throughput`.
enum class LogLevel { kDebug, kInfo, kWarning, kError, kCritical };
Expected<LogLevel> ParseLogLevel(std::string_view text);

// Checks the flags' values (one-line errors naming the flag), sets the logprob fields of
// `options` and the cache report of `settings`.
Status ApplyCompatFlags(const RunFlags& f, const protocol::BackendInfo& backend,
                        protocol::RequestOptions& options, metrics::RunSettings& settings);

// --chat-template-kwargs as template variables (empty without the flag). Call after
// ApplyCompatFlags has accepted the JSON.
tmpl::TemplateKwargs ChatTemplateKwargs(const RunFlags& f);

// The run's tokenizer: `name` loaded, or with --skip-tokenizer-init one that knows no token
// (prompt counts 0, no retokenized output counts).
Expected<std::unique_ptr<tokenizer::Tokenizer>> LoadRunTokenizer(const RunFlags& f,
                                                                 const std::string& name);
bool IsAbsentTokenizer(const tokenizer::Tokenizer& t);

// --log-level INFO or DEBUG: the set-up facts on stderr before the run (DEBUG adds the first
// request body as sent).
void LogSetUp(const RunFlags& f, std::string_view url, std::string_view model,
              std::string_view tokenizer_name, std::span<const std::string> bodies);

// --print-requests: every finished request's prompt and generated text on stdout, printed after
// the measured phase (never from the loop threads) in the order the requests ended.
void PrintRequests(std::span<const dataset::WorkloadRow> rows,
                   std::span<const metrics::RequestRecord> records);

// --plot-throughput: tokens/s and requests in flight over the measured phase, on stdout after
// the summary.
void PlotThroughput(std::span<const metrics::RequestRecord> records);

}  // namespace servebench::app
