// The compatibility flags of SGLang's and vLLM's clients (spec/cli.md §1.2, §1.5, §1.8) end to
// end: the built binary against a serve-sim child on 127.0.0.1 (or with --dry-run), checked
// through the request bodies it reports at --log-level DEBUG, what it prints, its JSONL line and
// its one-line errors.
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

using testing::ProcessResult;
using testing::RunServebench;
using testing::SimProcess;

class CompatFlagsE2e : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }
  void TearDown() override {
    for (const std::string& f : files_)
      unlink(f.c_str());
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = testing::TempPath("compat-flags-e2e", name);
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path;
  }
  std::string Output(const std::string& name) { return Write(name, ""); }
  // Three ShareGPT conversations with fixed prompts.
  std::string ShareGpt() {
    std::string json = "[";
    for (int i = 0; i < 3; ++i) {
      json += std::string(i ? "," : "") + "{\"id\":\"" + std::to_string(i) +
              "\",\"conversations\":[{\"from\":\"human\",\"value\":\"Tell me about topic " +
              std::to_string(i) + "\"},{\"from\":\"gpt\",\"value\":\"Topic " + std::to_string(i) +
              " is a fine topic with several words in it.\"}]}";
    }
    return Write("sharegpt.json", json + "]");
  }
  // A small random-ids run against `sim` with `more` flags.
  std::vector<std::string> SmallRun(const SimProcess& sim, const std::string& jsonl,
                                    std::vector<std::string> more,
                                    const std::string& num_prompts = "4") {
    std::vector<std::string> args = {"--num-prompts",       num_prompts, "--random-input-len", "16",
                                     "--random-output-len", "6",         "--disable-warmup"};
    args.insert(args.end(), more.begin(), more.end());
    return testing::SmallRunArgs(sim.base_url(), jsonl, args);
  }
  // A run against `sim` with its own tokenizer and dataset flags in `more`.
  static ProcessResult RunAgainst(const SimProcess& sim, const std::string& jsonl,
                                  const std::vector<std::string>& more) {
    std::vector<std::string> args = {"run",
                                     "--base-url",
                                     sim.base_url(),
                                     "--output-file",
                                     jsonl,
                                     "--disable-tqdm",
                                     "--ready-check-timeout-sec",
                                     "5",
                                     "--disable-warmup"};
    args.insert(args.end(), more.begin(), more.end());
    return RunServebench(args);
  }
  // The body the run printed at --log-level DEBUG.
  static std::string FirstBody(const std::string& err) {
    const std::string marker = "servebench run: debug: first request body ";
    size_t at = err.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return err.substr(at, err.find('\n', at) - at);
  }

  std::vector<std::string> files_;
};

// Each backend family gets the logprob fields under its own names (protocols.md §4.1, §4.2).
TEST_F(CompatFlagsE2e, LogprobFlagsReachEachBackendsBody) {
  struct Case {
    std::string family;
    std::string backend;
    std::vector<std::string> flags;
    std::string expected;  // a piece of the body
  };
  const std::vector<Case> cases = {
      {"sglang",
       "sglang",
       {"--return-logprob", "--top-logprobs-num", "3", "--logprob-start-len", "0",
        "--token-ids-logprob", "7", "8"},
       R"("return_logprob":true,"logprob_start_len":0,"top_logprobs_num":3,"token_ids_logprob":[7,8])"},
      {"sglang", "sglang", {}, R"("return_logprob":false,"logprob_start_len":-1})"},
      {"sglang", "sglang-oai", {"--return-logprob", "--top-logprobs-num", "2"}, R"("logprobs":2)"},
      {"vllm", "vllm", {"--logprobs", "5"}, R"("logprobs":5)"},
      {"vllm", "vllm-chat", {"--logprobs", "2"}, R"("logprobs":true,"top_logprobs":2)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.backend);
    SimProcess sim({"--instant", "--family", c.family});
    ASSERT_TRUE(sim.ok());
    std::string jsonl = Output("logprob-" + c.backend + ".jsonl");
    std::vector<std::string> more = {"--backend", c.backend};
    more.insert(more.end(), c.flags.begin(), c.flags.end());
    more.insert(more.end(), {"--log-level", "DEBUG"});
    ProcessResult r = RunServebench(SmallRun(sim, jsonl, more));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string body = FirstBody(r.err);
    EXPECT_NE(body.find(c.expected), std::string::npos) << body;
    if (c.flags.empty()) {
      EXPECT_EQ(body.find("top_logprobs_num"), std::string::npos) << body;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
    EXPECT_EQ(int64_t(result["completed"]), 4);
  }
}

// --log-level INFO prints the set-up but no body; the default prints neither.
TEST_F(CompatFlagsE2e, LogLevelInfoPrintsTheSetUpOnly) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  ProcessResult info = RunServebench(SmallRun(sim, Output("info.jsonl"), {"--log-level", "info"}));
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.err.find("servebench run: info: request URL " + sim.base_url() + "/generate\n"),
            std::string::npos)
      << info.err;
  EXPECT_NE(info.err.find("servebench run: info: 4 requests built\n"), std::string::npos);
  EXPECT_EQ(info.err.find("debug:"), std::string::npos) << info.err;
  ProcessResult quiet = RunServebench(SmallRun(sim, Output("quiet.jsonl"), {}));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("info:"), std::string::npos) << quiet.err;
}

// --chat-template-kwargs reaches the template of --apply-chat-template (Qwen3's enable_thinking
// adds an empty think block), and --print-requests shows each prompt as rendered and the text
// the server generated, before the summary table.
TEST_F(CompatFlagsE2e, ChatTemplateKwargsReachTheRenderedPromptsThatPrintRequestsShows) {
  testing::RequireTokenizerFixture("qwen3");
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string sharegpt = ShareGpt();
  auto run = [&](std::vector<std::string> more) {
    std::vector<std::string> args = {"--tokenizer",           testing::TokenizerFixtureDir("qwen3"),
                                     "--dataset-name",        "sharegpt",
                                     "--dataset-path",        sharegpt,
                                     "--num-prompts",         "3",
                                     "--sharegpt-output-len", "5",
                                     "--apply-chat-template", "--print-requests"};
    args.insert(args.end(), more.begin(), more.end());
    return RunAgainst(sim, Output("print.jsonl"), args);
  };

  ProcessResult off = run({"--chat-template-kwargs", R"({"enable_thinking": false})"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  const std::string think = "<|im_start|>assistant\n<think>\n\n</think>\n\n\nOutput: ";
  size_t printed = 0;
  for (size_t at = off.out.find("=== request "); at != std::string::npos;
       at = off.out.find("=== request ", at + 1)) {
    ++printed;
  }
  EXPECT_EQ(printed, 3u) << off.out;
  EXPECT_NE(off.out.find("| ok | 5 output tokens | e2e "), std::string::npos) << off.out;
  EXPECT_NE(off.out.find("Prompt: <|im_start|>user\nTell me about topic 1<|im_end|>\n" + think),
            std::string::npos)
      << off.out;
  size_t output_at = off.out.find(think);
  ASSERT_NE(output_at, std::string::npos);
  EXPECT_NE(off.out[output_at + think.size()], '\n') << "generated text missing: " << off.out;
  EXPECT_LT(off.out.rfind("=== request "), off.out.find("Successful requests:")) << off.out;

  ProcessResult on = run({});
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(on.out.find("<think>"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find("Tell me about topic 1<|im_end|>\n<|im_start|>assistant\n\nOutput: "),
            std::string::npos)
      << on.out;
}

// --skip-tokenizer-init: no tokenizer is loaded (the model name "serve-sim" is none), counts
// come from the server's usage and no retokenized count is made.
TEST_F(CompatFlagsE2e, SkipTokenizerInitRunsOpenAiRowsOnServerCounts) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string rows = Write("requests.jsonl",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}],"
                           "\"max_tokens\":3}\n"
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"four\"}],"
                           "\"max_tokens\":5}\n");
  auto run = [&](const std::string& jsonl, std::vector<std::string> more) {
    std::vector<std::string> args = {
        "--backend", "vllm-chat", "--dataset-name",  "openai", "--dataset-path", rows,
        "-n",        "2",         "--output-details"};
    args.insert(args.end(), more.begin(), more.end());
    return RunAgainst(sim, jsonl, args);
  };

  std::string jsonl = Output("skip.jsonl");
  ProcessResult r = run(jsonl, {"--skip-tokenizer-init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // No template was loaded on purpose: its absence is not worth a warning.
  EXPECT_EQ(r.err.find("no chat template"), std::string::npos) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
  EXPECT_EQ(int64_t(result["completed"]), 2);
  EXPECT_EQ(int64_t(result["total_output_tokens"]), 3 + 5);
  EXPECT_GT(int64_t(result["total_input_tokens"]), 0);  // the server's prompt counts
  EXPECT_EQ(int64_t(result["total_output_tokens_retokenized"]), 0);
  for (simdjson::dom::element n : result["output_lens_retokenized"].get_array()) {
    EXPECT_TRUE(n.is_null());
  }
  // --dry-run needs no tokenizer name either.
  ProcessResult dry =
      RunServebench({"run", "--backend", "vllm-chat", "--port", "1", "--dataset-name", "openai",
                     "--dataset-path", rows, "--skip-tokenizer-init", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("Tokenizer:            none (--skip-tokenizer-init)"), std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("Sampled rows:         2"), std::string::npos) << dry.out;
  // Without the flag the client needs a tokenizer, and "serve-sim" names none.
  ProcessResult needs = run(Output("needs.jsonl"), {});
  EXPECT_EQ(needs.exit_code, 2) << needs.err;
  EXPECT_NE(needs.err.find("--tokenizer: cannot load 'serve-sim'"), std::string::npos) << needs.err;
}

// --plot-throughput: one row per second after the summary table; the rows' tokens add up to the
// run's output tokens and the in-flight figure is bounded by the concurrency cap.
TEST_F(CompatFlagsE2e, PlotThroughputRowsAddUpToTheRun) {
  SimProcess sim({"--pace", "20,20"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = Output("plot.jsonl");
  ProcessResult r = RunServebench(SmallRun(sim, jsonl,
                                           {"--random-range-ratio", "1.0", "--request-rate", "5",
                                            "--max-concurrency", "3", "--plot-throughput"},
                                           "15"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t header = r.out.find("time (s)  output tokens/s");
  ASSERT_NE(header, std::string::npos) << r.out;
  EXPECT_LT(r.out.find("Successful requests:"), header);
  std::istringstream rows(r.out.substr(r.out.find('\n', header) + 1));
  double tokens = 0;
  int lines = 0;
  for (std::string line; std::getline(rows, line) && !line.empty();) {
    std::istringstream words(line);
    std::vector<double> numbers;
    for (std::string w; words >> w;) {
      if (w.find('#') == std::string::npos) numbers.push_back(std::stod(w));
    }
    ASSERT_EQ(numbers.size(), 3u) << line;
    EXPECT_EQ(numbers[0], lines);  // one-second bins from 0
    tokens += numbers[1];
    EXPECT_LE(numbers[2], 3.0 + 1e-9) << line;
    ++lines;
  }
  EXPECT_GE(lines, 2) << r.out;
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
  EXPECT_NEAR(tokens, double(int64_t(result["total_output_tokens"])), lines * 0.05 + 1e-9);
}

// --cache-report on the native route: SGLang's "Cache Hit Details" block and the JSONL
// cache_report object, from meta_info.cached_tokens (serve-sim reports 0 cached tokens).
TEST_F(CompatFlagsE2e, CacheReportSumsTheNativeCachedCounts) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = Output("cache.jsonl");
  ProcessResult r = RunServebench(SmallRun(sim, jsonl, {"--cache-report", "--output-details"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t block = r.out.find("Cache Hit Details");
  ASSERT_NE(block, std::string::npos) << r.out;
  size_t rate = r.out.find("Cache hit rate:", block);
  ASSERT_NE(rate, std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(rate, r.out.find('\n', rate) - rate).find("0.0%"), 41u) << r.out;
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
  simdjson::dom::element cache = result["cache_report"];
  EXPECT_EQ(int64_t(cache["total_prompt_tokens"]), int64_t(result["total_input_tokens"]));
  EXPECT_GT(int64_t(cache["total_prompt_tokens"]), 0);
  EXPECT_EQ(int64_t(cache["total_cached_tokens"]), 0);
  size_t counted = 0;
  for (simdjson::dom::element n : result["cached_tokens"].get_array()) {
    EXPECT_EQ(int64_t(n), 0);
    ++counted;
  }
  EXPECT_EQ(counted, 4u);

  std::string plain = Output("no-cache.jsonl");
  ProcessResult without = RunServebench(SmallRun(sim, plain, {}));
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(without.out.find("Cache Hit Details"), std::string::npos);
  simdjson::dom::parser parser2;
  EXPECT_EQ(parser2.parse(testing::FirstLine(plain))["cache_report"].error(),
            simdjson::NO_SUCH_FIELD);
}

// --cache-report on SGLang's OpenAI routes: the request asks for return_cached_tokens_details and
// the counts come from the reply's sglext (its own chunk when streamed, the body's top level
// otherwise); with serve-sim --cached-tokens 4 each request finds min(4, prompt) tokens cached.
TEST_F(CompatFlagsE2e, CacheReportReadsSglextOnTheOpenAiRoutes) {
  SimProcess sim({"--instant", "--family", "sglang", "--cached-tokens", "4"});
  ASSERT_TRUE(sim.ok());
  for (auto [backend, stream] :
       {std::pair{"sglang-oai-chat", true}, {"sglang-oai", true}, {"sglang-oai", false}}) {
    SCOPED_TRACE(std::string(backend) + (stream ? " stream" : " whole body"));
    std::string jsonl = Output(std::string("cache-oai-") + backend + (stream ? "" : "-whole"));
    std::vector<std::string> more = {"--backend",        backend,       "--cache-report",
                                     "--output-details", "--log-level", "DEBUG"};
    if (!stream) more.push_back("--disable-stream");
    ProcessResult r = RunServebench(SmallRun(sim, jsonl, more));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(FirstBody(r.err).find(R"("return_cached_tokens_details":true)"), std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("Cache Hit Details"), std::string::npos) << r.out;
    simdjson::dom::parser parser;
    simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
    EXPECT_EQ(int64_t(result["completed"]), 4);
    // Each request finds min(4, its prompt as serve-sim counts it) tokens cached, all on the
    // device; the totals are their sums.
    int64_t device = 0, requests = 0;
    for (simdjson::dom::element details : result["cached_tokens_details"].get_array()) {
      EXPECT_GE(int64_t(details["device"]), 1);
      EXPECT_LE(int64_t(details["device"]), 4);
      EXPECT_EQ(int64_t(details["host"]), 0);
      device += int64_t(details["device"]);
      ++requests;
    }
    EXPECT_EQ(requests, 4);
    simdjson::dom::element cache = result["cache_report"];
    EXPECT_EQ(int64_t(cache["total_cached_tokens"]), device);
    EXPECT_EQ(int64_t(cache["device_cached_tokens"]), device);
    EXPECT_EQ(int64_t(cache["host_cached_tokens"]), 0);
    EXPECT_NEAR(double(cache["cache_hit_rate_pct"]),
                100.0 * static_cast<double>(device) /
                    static_cast<double>(int64_t(cache["total_prompt_tokens"])),
                1e-9);
  }
}

// Accepted values change nothing in a dry run; bad ones are one line naming the flag, exit 2,
// before any server contact.
TEST_F(CompatFlagsE2e, AcceptedValuesAndOneLineErrors) {
  std::vector<std::string> base = {"run",
                                   "--dry-run",
                                   "--base-url",
                                   "http://127.0.0.1:1",
                                   "--tokenizer",
                                   testing::TokenizerFixture(),
                                   "--dataset-name",
                                   "random-ids",
                                   "--num-prompts",
                                   "3"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return RunServebench(args);
  };
  for (std::vector<std::string> ok : std::vector<std::vector<std::string>>{
           {"--tokenizer-mode", "hf", "--trust-remote-code"},
           {"--tokenizer_mode", "auto", "--trust_remote_code", "--log-level", "ERROR"},
           {"--chat-template-kwargs", R"({"enable_thinking": false})"},
           {"--return-logprob", "--top-logprobs-num", "1", "--logprobs", "0"}}) {
    ProcessResult r = with(ok);
    EXPECT_EQ(r.exit_code, 0) << ok.front() << ": " << r.err;
  }
  ProcessResult help = RunServebench({"run", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  size_t trust = help.out.find("--trust-remote-code");
  ASSERT_NE(trust, std::string::npos) << help.out;
  // The option's help: up to the next option's line (CLI11 may wrap a long name).
  EXPECT_NE(help.out.substr(trust, help.out.find("\n  -", trust) - trust).find("no effect"),
            std::string::npos)
      << help.out;
  struct Bad {
    std::vector<std::string> flags;
    std::string line;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{"--tokenizer-mode", "slow"}, "--tokenizer-mode slow: expected auto or hf"},
           {{"--log-level", "LOUD"}, "--log-level LOUD: expected DEBUG, INFO, WARNING, ERROR"},
           {{"--chat-template-kwargs", "[1]"}, "--chat-template-kwargs: expected a JSON object"},
           {{"--chat-template-kwargs", "{oops"}, "--chat-template-kwargs: expected a JSON object"},
           {{"--skip-tokenizer-init"},
            "--skip-tokenizer-init: --dataset-name random-ids needs the client tokenizer"},
           {{"--top-logprobs-num", "-1"}, "--top-logprobs-num -1: expected >= 0"},
           {{"--logprobs", "-2"}, "--logprobs -2: expected >= 0"},
           {{"--logprob-start-len", "-5"}, "--logprob-start-len -5: expected -1 or a position"},
           {{"--backend", "vllm", "--cache-report"},
            "--cache-report: --backend vllm does not report cached tokens; use an SGLang backend"},
       }) {
    ProcessResult r = with(bad.flags);
    EXPECT_EQ(r.exit_code, 2) << bad.flags.front() << ": " << r.err;
    EXPECT_EQ(r.err.rfind("servebench run: " + bad.line, 0), 0u) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
  }
}

}  // namespace
}  // namespace servebench
