// `servebench run` end to end: the built binary against a serve-sim child on 127.0.0.1, checked
// through its exit code, console table, JSONL line (with --output-details) and serve-sim's
// --trace-out ground truth.
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

using testing::FixedLengthRunArgs;
using testing::ProcessResult;
using testing::RunServebench;
using testing::RunServebenchOnTerminal;
using testing::SimProcess;
using testing::SmallRunArgs;

class RunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }
};

TEST_F(RunE2eTest, DefaultBackendPrintsTheTableAndAppendsOneLinePerRun) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "default.jsonl");
  std::remove(jsonl.c_str());
  std::vector<std::string> args = SmallRunArgs(sim.base_url(), jsonl,
                                               {"--num-prompts", "20", "--random-input-len", "32",
                                                "--random-output-len", "16", "--seed", "7"});
  ProcessResult r = RunServebench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Successful requests:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Backend:"), std::string::npos) << r.out;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(std::string_view(doc["backend"]), "sglang");
  EXPECT_EQ(int64_t(doc["completed"]), 20);
  EXPECT_EQ(int64_t(doc["failed"]), 0);
  EXPECT_EQ(std::string_view(doc["model_id"]), "serve-sim");  // from /v1/models
  EXPECT_GT(int64_t(doc["total_output_tokens"]), 20);
  // A second run appends a second line.
  ASSERT_EQ(RunServebench(args).exit_code, 0);
  std::ifstream in(jsonl);
  int lines = 0;
  for (std::string line; std::getline(in, line);)
    lines += !line.empty();
  EXPECT_EQ(lines, 2);
}

// The per-request TTFT and ITL of the run against serve-sim's own record of when it wrote each
// event: same requests, same token events, times within a tolerance fit for a loaded machine.
TEST_F(RunE2eTest, PerRequestTimesMatchTheServerTrace) {
  std::string trace = testing::TempPath("run-e2e", "trace.jsonl");
  std::remove(trace.c_str());
  SimProcess sim({"--family", "vllm", "--pace", "30,8", "--trace-out", trace});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "trace-run.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r = RunServebench(
      SmallRunArgs(sim.base_url(), jsonl,
                   {"--backend", "vllm", "--num-prompts", "24", "--random-input-len", "16",
                    "--random-output-len", "10", "--random-range-ratio", "1.0", "--request-rate",
                    "40", "--max-concurrency", "8", "--output-details", "--warmup-requests", "0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  sim.Stop();  // flushes the trace

  struct Truth {
    double ttft_ms;
    std::vector<double> itl_ms;
  };
  std::map<std::string, Truth> truth;
  {
    std::ifstream in(trace);
    simdjson::dom::parser p;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element t;
      ASSERT_EQ(p.parse(line).get(t), simdjson::SUCCESS) << line;
      std::vector<double> token_us;
      simdjson::dom::array times = t["event_us"], tokens = t["event_tokens"];
      for (size_t i = 0; i < times.size(); ++i) {
        if (int64_t(tokens.at(i)) > 0) token_us.push_back(double(times.at(i)));
      }
      Truth tr;
      tr.ttft_ms = (token_us.at(0) - double(t["received_us"])) / 1000.0;
      for (size_t i = 1; i < token_us.size(); ++i)
        tr.itl_ms.push_back((token_us[i] - token_us[i - 1]) / 1000.0);
      truth[std::string(std::string_view(t["request_id"]))] = tr;
    }
  }
  ASSERT_EQ(truth.size(), 24u);

  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  ASSERT_EQ(int64_t(doc["completed"]), 24);
  simdjson::dom::array ids = doc["request_ids"], ttfts = doc["ttfts"], itls = doc["itls"];
  ASSERT_EQ(ids.size(), 24u);
  double worst_ttft = 0, worst_itl = 0, sum_ttft = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string id(std::string_view(ids.at(i)));
    ASSERT_TRUE(truth.count(id)) << id;
    const Truth& tr = truth[id];
    double ttft_ms = double(ttfts.at(i)) * 1000.0;
    // The client's TTFT starts before the server received the request and ends after the
    // server wrote the token: never shorter, and close.
    EXPECT_GT(ttft_ms, tr.ttft_ms - 0.5) << id;
    worst_ttft = std::max(worst_ttft, std::abs(ttft_ms - tr.ttft_ms));
    sum_ttft += std::abs(ttft_ms - tr.ttft_ms);
    simdjson::dom::array itl = itls.at(i);
    ASSERT_EQ(itl.size(), tr.itl_ms.size()) << id;
    for (size_t k = 0; k < itl.size(); ++k)
      worst_itl = std::max(worst_itl, std::abs(double(itl.at(k)) * 1000.0 - tr.itl_ms[k]));
    EXPECT_NEAR(ttft_ms, 30.0, 25.0) << id;  // the pace, as a sanity check of the units
  }
  // Bounds for a 2-core machine shared with compilers: single samples can be descheduled for
  // tens of ms, the mean cannot drift far unless the client mis-times its reads.
  double mean_ttft = sum_ttft / static_cast<double>(ids.size());
  EXPECT_LT(worst_ttft, 50.0);
  EXPECT_LT(worst_itl, 50.0);
  EXPECT_LT(mean_ttft, 8.0);
  std::printf("|TTFT - trace| mean %.3f ms, worst %.3f ms; worst |ITL - trace| %.3f ms\n",
              mean_ttft, worst_ttft, worst_itl);
}

struct BackendCase {
  std::string backend;
  std::string family;  // X-Serve-Sim-Family
  std::vector<std::string> extra;
};

class RunBackendTest : public RunE2eTest, public ::testing::WithParamInterface<BackendCase> {};

// One backend against the serve-sim family it targets, streamed and not.
TEST_P(RunBackendTest, StreamedAndNot) {
  const BackendCase& c = GetParam();
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  for (bool stream : {true, false}) {
    SCOPED_TRACE(c.backend + " family " + c.family + (stream ? " stream" : " non-stream"));
    std::string jsonl = testing::TempPath("run-e2e", "backend.jsonl");
    std::remove(jsonl.c_str());
    std::vector<std::string> more = {"--backend",
                                     c.backend,
                                     "--header",
                                     "X-Serve-Sim-Family=" + c.family,
                                     "--num-prompts",
                                     "6",
                                     "--random-input-len",
                                     "12",
                                     "--random-output-len",
                                     "5",
                                     "--random-range-ratio",
                                     "1.0"};
    more.insert(more.end(), c.extra.begin(), c.extra.end());
    if (!stream) more.push_back("--disable-stream");
    ProcessResult r = RunServebench(SmallRunArgs(sim.base_url(), jsonl, more));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    testing::LastJsonLine last(jsonl);
    simdjson::dom::element doc = last.element();
    EXPECT_EQ(int64_t(doc["completed"]), 6) << last.line();
    EXPECT_EQ(int64_t(doc["failed"]), 0) << last.line();
    if (c.backend != "tgi") {  // TGI cannot ignore EOS
      EXPECT_EQ(int64_t(doc["total_output_tokens"]), 30) << last.line();
    }
    EXPECT_GT(double(doc["mean_ttft_ms"]), 0.0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Backends, RunBackendTest,
    ::testing::Values(
        BackendCase{"sglang", "sglang", {}}, BackendCase{"sglang-native", "sglang", {}},
        BackendCase{"sglang-oai", "sglang", {}}, BackendCase{"sglang-oai-chat", "sglang", {}},
        BackendCase{"vllm", "vllm", {}}, BackendCase{"vllm-chat", "vllm", {}},
        BackendCase{"lmdeploy", "lmdeploy", {}}, BackendCase{"lmdeploy-chat", "lmdeploy", {}},
        BackendCase{"lmdeploy", "lmdeploy-legacy", {}},
        BackendCase{"vllm-chat", "trtllm-serve", {}},
        BackendCase{"trt", "sglang", {"--model", "serve-sim"}},
        BackendCase{"truss", "vllm", {"--model", "serve-sim"}}, BackendCase{"tgi", "tgi", {}},
        BackendCase{"openai", "openai", {}}, BackendCase{"openai-chat", "openai", {}}),
    // Readable, stable names ("vllm_chat_on_trtllm_serve"): ctest selects tests by name.
    [](const ::testing::TestParamInfo<BackendCase>& info) {
      std::string name = info.param.backend + "_on_" + info.param.family;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST_F(RunE2eTest, FaultsAreCountedByReasonAndDoNotEndTheRun) {
  SimProcess sim({"--instant", "--family", "vllm", "--fault", "http-5xx:0.3", "--fault",
                  "malformed-event:0.2", "--seed", "5"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "fault.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r =
      RunServebench(SmallRunArgs(sim.base_url(), jsonl,
                                 {"--backend", "vllm", "--num-prompts", "60", "--random-input-len",
                                  "8", "--random-output-len", "6", "--warmup-requests", "0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  int64_t completed = doc["completed"], failed = doc["failed"];
  EXPECT_EQ(completed + failed, 60);
  simdjson::dom::object reasons = doc["failures_by_reason"];
  int64_t http = 0, malformed = 0;
  for (auto [key, value] : reasons) {
    if (key == "http_status") http = int64_t(value);
    if (key == "malformed_event") malformed = int64_t(value);
  }
  EXPECT_GT(http, 5) << last.line();
  EXPECT_GT(malformed, 2) << last.line();
  EXPECT_EQ(http + malformed, failed) << last.line();
}

// Transport failures are the failure of their request, with protocols.md §5.5's reason: a
// connection reset before any reply byte once the request was written, and a reply cut short,
// are `truncated`; a body that ends without [DONE] but with its message end is complete.
// serve-sim's `refuse` resets at accept: the client's request is usually written by then
// (`truncated`), sometimes not (`connect`).
TEST_F(RunE2eTest, ResetsAndCutRepliesFailTheirRequestWithTheirReason) {
  struct Case {
    std::string fault;
    std::vector<std::string> reasons;  // empty: every request succeeds
  };
  for (const Case& c :
       {Case{"reset-before-headers", {"truncated"}}, Case{"reset-mid-stream", {"truncated"}},
        Case{"truncated-chunk", {"truncated"}}, Case{"refuse", {"truncated", "connect"}},
        Case{"missing-done", {}}}) {
    SCOPED_TRACE(c.fault);
    SimProcess sim({"--instant", "--family", "vllm", "--fault", c.fault + ":0.5", "--seed", "3"});
    ASSERT_TRUE(sim.ok());
    std::string jsonl = testing::TempPath("run-e2e", "transport-" + c.fault + ".jsonl");
    std::string log = testing::TempPath("run-e2e", "transport-" + c.fault + "-requests.jsonl");
    std::remove(jsonl.c_str());
    // --model: no model lookup for serve-sim's `refuse` to refuse (the readiness wait retries).
    ProcessResult r = RunServebench(SmallRunArgs(
        sim.base_url(), jsonl,
        {"--backend", "vllm", "--model", "serve-sim", "--num-prompts", "24", "--random-input-len",
         "8", "--random-output-len", "6", "--random-range-ratio", "1.0", "--warmup-requests", "0",
         "--max-concurrency", "4", "--request-log", log}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    testing::LastJsonLine last(jsonl);
    simdjson::dom::element doc = last.element();
    int64_t completed = doc["completed"], failed = doc["failed"];
    EXPECT_EQ(completed + failed, 24) << last.line();
    if (c.reasons.empty()) {
      EXPECT_EQ(failed, 0) << last.line();
      continue;
    }
    // `refuse` strikes per connection, and the 4 slots keep theirs alive: few failures.
    EXPECT_GT(failed, 0) << last.line();
    EXPECT_GT(completed, 3) << last.line();
    int64_t counted = 0;
    for (const std::string& reason : c.reasons) {
      int64_t n = 0;
      if (doc["failures_by_reason"][reason].get(n) == simdjson::SUCCESS) counted += n;
    }
    EXPECT_EQ(counted, failed) << last.line();
    // Each failed request keeps what it received: nothing before the headers' reset, events
    // before a mid-stream one.
    simdjson::dom::parser parser;
    for (const std::string& line : testing::NonEmptyLines(log)) {
      simdjson::dom::element request;
      ASSERT_EQ(parser.parse(line).get(request), simdjson::SUCCESS) << line;
      std::string_view status = request["status"];
      if (status == "ok") continue;
      EXPECT_NE(std::find(c.reasons.begin(), c.reasons.end(), status), c.reasons.end()) << line;
      int64_t events = request["token_events"];
      if (c.fault == "reset-before-headers" || c.fault == "refuse") {
        EXPECT_EQ(events, 0) << line;
      } else if (c.fault == "reset-mid-stream") {
        EXPECT_GT(events, 0) << line;
      }
    }
  }
}

// On a terminal the progress line counts output tokens, not events: serve-sim sends 4 tokens per
// event, and the last line's tok/s over its req/s gives the run's output tokens per request.
// Off a terminal (every other test) there is no progress line.
TEST_F(RunE2eTest, ProgressLineOnATerminalCountsOutputTokens) {
  SimProcess sim({"--pace", "20,20", "--family", "vllm", "--tokens-per-event", "4"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "progress.jsonl");
  std::remove(jsonl.c_str());
  std::vector<std::string> args = SmallRunArgs(
      sim.base_url(), jsonl,
      {"--backend", "vllm", "--num-prompts", "16", "--random-input-len", "8", "--random-output-len",
       "16", "--random-range-ratio", "1.0", "--warmup-requests", "0", "--request-rate", "20"});
  args.erase(std::find(args.begin(), args.end(), "--disable-tqdm"));
  ProcessResult r = RunServebenchOnTerminal(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::regex progress(
      R"(\r(\d+)/16 done  ([0-9.]+) req/s  (\d+) output tok/s  (\d+) in flight  (\d+) failed )");
  std::smatch last;
  int lines = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), progress);
       it != std::sregex_iterator(); ++it) {
    last = *it;
    ++lines;
  }
  ASSERT_GT(lines, 1) << r.out;  // the run lasts about a second: several updates
  EXPECT_EQ(last[1].str(), "16") << r.out;
  EXPECT_EQ(last[4].str(), "0") << r.out;
  EXPECT_EQ(last[5].str(), "0") << r.out;
  double tokens_per_request = std::stod(last[3].str()) / std::stod(last[2].str());
  EXPECT_NEAR(tokens_per_request, 16, 0.5) << last[0].str();  // events would give 4

  args.push_back("--disable-tqdm");
  r = RunServebenchOnTerminal(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find(" output tok/s "), std::string::npos) << r.out;
  std::vector<std::string> piped_args =
      SmallRunArgs(sim.base_url(), jsonl,
                   {"--backend", "vllm", "--num-prompts", "2", "--random-output-len", "4"});
  piped_args.erase(std::find(piped_args.begin(), piped_args.end(), "--disable-tqdm"));
  ProcessResult piped = RunServebench(piped_args);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find(" output tok/s "), std::string::npos) << piped.err;
}

// The validity gate (beyond.md 2): a p99 send lag over --max-send-lag-ms flags the run in the
// console and the JSONL line; --fail-on-invalid turns it into exit code 3, after writing both.
TEST_F(RunE2eTest, SendLagOverTheBoundFlagsTheRunAndFailOnInvalidExitsThree) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "invalid.jsonl");
  std::remove(jsonl.c_str());
  std::vector<std::string> args = FixedLengthRunArgs(
      sim.base_url(), jsonl, {"--backend", "vllm", "--num-prompts", "6", "--max-send-lag-ms"});
  // No send is 1 ns late or less; none is a second late.
  auto with_bound = [&](const std::string& ms, bool fail_on_invalid) {
    std::vector<std::string> a = args;
    a.push_back(ms);
    if (fail_on_invalid) a.push_back("--fail-on-invalid");
    return RunServebench(a);
  };
  ProcessResult r = with_bound("0.000001", false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("INVALID: p99 send lag "), std::string::npos) << r.out;
  {
    testing::LastJsonLine last(jsonl);
    EXPECT_FALSE(bool(last.element()["run_valid"])) << last.line();
    std::string_view issue = last.element()["validity_issues"].at(0);
    EXPECT_TRUE(issue.starts_with("p99 send lag ")) << last.line();
  }
  r = with_bound("0.000001", true);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(testing::NonEmptyLines(jsonl).size(), 2u);  // written before the exit
  r = with_bound("1000", true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  EXPECT_TRUE(bool(last.element()["run_valid"])) << last.line();
}

// Without --base-url the request URL is built from --host (default 127.0.0.1), --port (default
// per backend) and the backend's path (protocols.md §3's table, copied here by hand); the dry run
// shows it without contacting anything.
TEST_F(RunE2eTest, HostAndPortDefaultPerBackend) {
  struct Case {
    std::string backend, url;
  };
  const std::vector<Case> cases = {
      {"sglang", "http://127.0.0.1:30000/generate"},
      {"sglang-native", "http://127.0.0.1:30000/generate"},
      {"sglang-oai", "http://127.0.0.1:30000/v1/completions"},
      {"sglang-oai-chat", "http://127.0.0.1:30000/v1/chat/completions"},
      {"vllm", "http://127.0.0.1:8000/v1/completions"},
      {"vllm-chat", "http://127.0.0.1:8000/v1/chat/completions"},
      {"lmdeploy", "http://127.0.0.1:23333/v1/completions"},
      {"lmdeploy-chat", "http://127.0.0.1:23333/v1/chat/completions"},
      {"trt", "http://127.0.0.1:8000/v2/models/ensemble/generate_stream"},
      {"truss", "http://127.0.0.1:8080/v1/models/model:predict"},
      {"tgi", "http://127.0.0.1:3000/generate_stream"},
      {"openai", "http://127.0.0.1:8000/v1/completions"},
      {"openai-chat", "http://127.0.0.1:8000/v1/chat/completions"},
  };
  auto target = [](const std::vector<std::string>& more) {
    std::vector<std::string> args = {"run",
                                     "--tokenizer",
                                     testing::TokenizerFixture(),
                                     "--dataset-name",
                                     "random-ids",
                                     "--num-prompts",
                                     "2",
                                     "--dry-run"};
    args.insert(args.end(), more.begin(), more.end());
    ProcessResult r = RunServebench(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    std::regex_search(r.out, m, std::regex("Target: +(\\S+) \\(([a-z-]+)\\)"));
    return m.size() == 3 ? m[1].str() + " " + m[2].str() : r.out;
  };
  for (const Case& c : cases) {
    EXPECT_EQ(target({"--backend", c.backend}), c.url + " " + c.backend);
  }
  EXPECT_EQ(target({}), "http://127.0.0.1:30000/generate sglang");
  EXPECT_EQ(target({"--backend", "vllm", "--host", "::1", "--port", "9001"}),
            "http://[::1]:9001/v1/completions vllm");
  EXPECT_EQ(target({"--backend", "tgi", "--disable-stream", "--host", "localhost"}),
            "http://localhost:3000/generate tgi");
  EXPECT_EQ(target({"--backend", "vllm", "--base-url", "http://10.1.2.3:7/prefix", "--port", "1"}),
            "http://10.1.2.3:7/prefix/v1/completions vllm");
}

// --tokenize-prompt sends SGLang the token ids: its prompt count is then exactly the dataset's
// (serve-sim counts a text prompt by words, which differs). --disable-ignore-eos lets serve-sim
// stop early (--eos-mean-tokens 4) where every request otherwise runs to its 64 tokens.
TEST_F(RunE2eTest, TokenizePromptAndDisableIgnoreEosReachTheServer) {
  SimProcess sim({"--instant", "--family", "sglang", "--eos-mean-tokens", "4", "--seed", "9"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "tokenize-prompt.jsonl");
  std::string log = testing::TempPath("run-e2e", "tokenize-prompt-requests.jsonl");
  auto run = [&](const std::vector<std::string>& more) {
    std::vector<std::string> args = {
        "--backend",           "sglang", "--num-prompts",        "12",  "--random-input-len", "37",
        "--random-output-len", "64",     "--random-range-ratio", "1.0", "--warmup-requests",  "0",
        "--request-log",       log};
    args.insert(args.end(), more.begin(), more.end());
    ProcessResult r = RunServebench(SmallRunArgs(sim.base_url(), jsonl, args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::pair<int64_t, int64_t>> prompt_and_output;  // server counts
    simdjson::dom::parser parser;
    for (const std::string& line : testing::NonEmptyLines(log)) {
      simdjson::dom::element doc;
      EXPECT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
      EXPECT_EQ(int64_t(doc["prompt_tokens_dataset"]), 37) << line;
      prompt_and_output.emplace_back(int64_t(doc["prompt_tokens_server"]),
                                     int64_t(doc["output_tokens_server"]));
    }
    EXPECT_EQ(prompt_and_output.size(), 12u);
    return prompt_and_output;
  };
  int text_prompts_counted_37 = 0;
  for (auto [prompt, output] : run({})) {
    text_prompts_counted_37 += prompt == 37;
    EXPECT_EQ(output, 64);
  }
  EXPECT_LT(text_prompts_counted_37, 12);
  int stopped_early = 0;
  for (auto [prompt, output] : run({"--tokenize-prompt", "--disable-ignore-eos"})) {
    EXPECT_EQ(prompt, 37);
    EXPECT_LE(output, 64);
    stopped_early += output < 64;
  }
  EXPECT_GT(stopped_early, 6);
}

// --client-threads defaults to the machine's cores, at most 4 (the JSONL line says how many
// loops ran).
TEST_F(RunE2eTest, ClientThreadsDefaultToTheCoresAtMostFour) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "client-threads.jsonl");
  std::remove(jsonl.c_str());
  auto threads = [&](const std::vector<std::string>& more) {
    std::vector<std::string> flags = {"--backend", "vllm", "--num-prompts", "8"};
    flags.insert(flags.end(), more.begin(), more.end());
    ProcessResult r = RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl, flags));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    testing::LastJsonLine last(jsonl);
    EXPECT_EQ(int64_t(last.element()["completed"]), 8) << last.line();
    return int64_t(last.element()["client_overhead"]["client_threads"]);
  };
  const int64_t cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(threads({}), std::min<int64_t>(cores, 4));
  EXPECT_EQ(threads({"--client-threads", "3"}), 3);
}

// LoRA adapters reach the server as the body's model: served adapters succeed, an adapter the
// server does not know fails every request with its 404.
TEST_F(RunE2eTest, LoraAdaptersAreSentPerRequest) {
  SimProcess sim({"--instant", "--family", "vllm", "--lora-modules", "a,b"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "lora.jsonl");
  std::remove(jsonl.c_str());
  std::vector<std::string> common = {"--backend",          "vllm", "--num-prompts",       "8",
                                     "--random-input-len", "8",    "--random-output-len", "4",
                                     "--warmup-requests",  "0"};
  std::vector<std::string> good = common;
  good.insert(good.end(), {"--lora-name", "a", "b", "--lora-request-distribution", "distinct"});
  ProcessResult r = RunServebench(SmallRunArgs(sim.base_url(), jsonl, good));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    testing::LastJsonLine good_result(jsonl);
    EXPECT_EQ(int64_t(good_result.element()["completed"]), 8) << good_result.line();
  }
  std::vector<std::string> bad = common;
  bad.insert(bad.end(), {"--lora-name", "zzz"});
  r = RunServebench(SmallRunArgs(sim.base_url(), jsonl, bad));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 0) << last.line();
  EXPECT_EQ(int64_t(doc["failures_by_reason"]["http_status"]), 8) << last.line();
}

TEST_F(RunE2eTest, UnderscoreSpellingsAreAliases) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "underscore.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r = RunServebench(
      SmallRunArgs(sim.base_url(), jsonl,
                   {"--num_prompts", "5", "--random_input_len", "8", "--random_output_len", "3",
                    "--random_range_ratio", "1.0", "--top_p", "0.9", "--warmup_requests", "0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 5) << last.line();
  EXPECT_EQ(int64_t(doc["total_output_tokens"]), 15) << last.line();
}

TEST_F(RunE2eTest, RequestTimeoutFailsStalledRequestsWithTimeout) {
  SimProcess sim({"--family", "vllm", "--pace", "5,1", "--fault", "stall", "--stall-ms", "5000"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "timeout.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r = RunServebench(SmallRunArgs(
      sim.base_url(), jsonl,
      {"--backend", "vllm", "--num-prompts", "3", "--random-input-len", "8", "--random-output-len",
       "20", "--warmup-requests", "0", "--request-timeout", "0.4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 0) << last.line();
  EXPECT_EQ(int64_t(doc["failures_by_reason"]["timeout"]), 3) << last.line();
  EXPECT_LT(double(doc["duration"]), 2.0) << last.line();
}

TEST_F(RunE2eTest, CancelRateClosesMarkedRequestsMidStream) {
  SimProcess sim({"--family", "vllm", "--pace", "5,2"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "cancel.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r = RunServebench(SmallRunArgs(
      sim.base_url(), jsonl,
      {"--backend", "vllm", "--num-prompts", "10", "--random-input-len", "8", "--random-output-len",
       "20", "--random-range-ratio", "1.0", "--warmup-requests", "0", "--cancel-rate", "1.0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  int64_t completed = doc["completed"];
  int64_t cancelled = doc["failures_by_reason"]["cancelled"];
  EXPECT_EQ(completed + cancelled, 10) << last.line();
  EXPECT_GE(cancelled, 7) << last.line();  // a cut at the last token may still see [DONE]
  EXPECT_LT(int64_t(doc["total_output_tokens"]), 200 - 7 * 1) << last.line();
}

TEST_F(RunE2eTest, BadFlagsGiveOneLineNamingTheFlag) {
  struct Bad {
    std::vector<std::string> args;
    std::string flag;
  };
  std::vector<Bad> bad = {
      {{"--request-rate", "fast"}, "--request-rate"},
      {{"--backend", "nope"}, "--backend"},
      {{"--max-concurrency", "2", "--concurrency", "3"}, "--concurrency"},
      {{"--max-tokens-field", "x"}, "--max-tokens-field"},
      {{"--header", "novalue"}, "--header"},
      {{"--cancel-rate", "1.5"}, "--cancel-rate"},
      {{"--extra-request-body", "{oops"}, "--extra-request-body"},
  };
  for (const Bad& b : bad) {
    std::vector<std::string> args = {"run", "--tokenizer", testing::TokenizerFixture(),
                                     "--dataset-name", "random-ids"};
    args.insert(args.end(), b.args.begin(), b.args.end());
    ProcessResult r = RunServebench(args);
    EXPECT_EQ(r.exit_code, 2) << b.flag << ": " << r.err;
    EXPECT_NE(r.err.find(b.flag), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  ProcessResult unknown = RunServebench({"run", "--no-such-flag"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("--no-such-flag"), std::string::npos) << unknown.err;
}

TEST_F(RunE2eTest, UnreachableServerNamesTheUrl) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string url = sim.base_url();
  sim.Stop();  // nothing listens there now
  ProcessResult r =
      RunServebench({"run", "--base-url", url, "--tokenizer", testing::TokenizerFixture(),
                     "--dataset-name", "random-ids", "--ready-check-timeout-sec", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(url + "/v1/models"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(RunE2eTest, ClosedLoopWithWarmupAndCsv) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "closed.jsonl"),
              csv = testing::TempPath("run-e2e", "closed.csv");
  std::remove(jsonl.c_str());
  std::remove(csv.c_str());
  ProcessResult r = RunServebench(SmallRunArgs(
      sim.base_url(), jsonl,
      {"--backend", "vllm", "--concurrency", "3", "--num-prompts", "12", "--random-input-len", "8",
       "--random-output-len", "4", "--warmup-requests", "2", "--csv", csv}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 12);
  EXPECT_EQ(int64_t(doc["closed_loop_concurrency"]), 3);
  EXPECT_EQ(int64_t(doc["max_concurrent_requests"]), 3) << last.line();
  EXPECT_EQ(int64_t(doc["warmup"]["sent"]), 2);
  EXPECT_EQ(int64_t(doc["warmup"]["succeeded"]), 2);
  std::string text = testing::ReadWhole(csv);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;  // header and one row
}

TEST_F(RunE2eTest, SigtermStopsSendingDrainsAndWritesAnIncompleteResult) {
  SimProcess sim({"--pace", "20,50", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "sigterm.jsonl");
  std::string csv = testing::TempPath("run-e2e", "sigterm.csv");
  std::remove(jsonl.c_str());
  std::remove(csv.c_str());
  // 100 tokens at 50 ms: 5 s per request, so nothing finishes before the signal.
  ProcessResult r = RunServebench(
      SmallRunArgs(sim.base_url(), jsonl,
                   {"--backend", "vllm", "--num-prompts", "40", "--request-rate", "10",
                    "--random-input-len", "8", "--random-output-len", "100", "--random-range-ratio",
                    "1.0", "--warmup-requests", "0", "--drain-timeout", "0.2", "--csv", csv}),
      20000,
      [&sim](pid_t pid) {
        // The signal goes once requests are in flight, however slow the start (a sanitized
        // build loads the tokenizer slowly): it must interrupt the measured phase.
        testing::HttpClient metrics(sim.port());
        for (int i = 0; i < 300; ++i) {
          std::string body = metrics.Get("/metrics").body;
          if (body.find("vllm:num_requests_running{") != std::string::npos &&
              body.find(R"(vllm:num_requests_running{engine="0",model_name="serve-sim"} 0)") ==
                  std::string::npos) {
            break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(pid, SIGTERM);
      },
      300);
  ASSERT_EQ(r.exit_code, 130) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_TRUE(bool(doc["interrupted"])) << last.line();
  EXPECT_GT(int64_t(doc["not_sent"]), 10) << last.line();
  EXPECT_FALSE(bool(doc["run_valid"]));
  std::string text = testing::ReadWhole(csv);  // the CSV row is written too
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
}

// A run whose in-flight bound needs more descriptors than RLIMIT_NOFILE allows (and cannot
// raise: the hard limit is set too) fails at start in one line naming the limit and the flag
// that caps it; capped with --max-concurrency, the same run goes ahead.
TEST_F(RunE2eTest, FileLimitTooLowFailsInOneLineNamingIt) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("run-e2e", "file-limit.jsonl");
  std::string err = testing::TempPath("run-e2e", "file-limit.err");
  std::remove(jsonl.c_str());
  auto run_with_limit = [&](const std::vector<std::string>& more) {
    std::vector<std::string> flags = {"--backend",          "vllm", "--num-prompts",       "500",
                                      "--random-input-len", "4",    "--random-output-len", "2",
                                      "--warmup-requests",  "0"};
    flags.insert(flags.end(), more.begin(), more.end());
    // bash's ulimit sets the soft and the hard limit.
    return testing::RunServebenchAfter("ulimit -n 200", SmallRunArgs(sim.base_url(), jsonl, flags),
                                       err);
  };
  EXPECT_EQ(run_with_limit({}), 2);
  EXPECT_EQ(testing::ReadWhole(err),
            "servebench run: 500 requests may be in flight but RLIMIT_NOFILE (ulimit -n) is 200; "
            "raise it or cap --max-concurrency\n");
  EXPECT_EQ(run_with_limit({"--max-concurrency", "50"}), 0) << testing::ReadWhole(err);
  testing::LastJsonLine last(jsonl);
  EXPECT_EQ(int64_t(last.element()["completed"]), 500) << last.line();
}

}  // namespace
}  // namespace servebench
