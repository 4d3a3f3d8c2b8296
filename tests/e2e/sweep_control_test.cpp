// `servebench run` rate sweeps, --calibrate, --flush-cache, --profile and LMDeploy's positional
// form, end to end: the built binary against a serve-sim child on 127.0.0.1.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
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
using testing::SimProcess;

std::vector<std::string> Fields(const std::string& csv_row) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t comma; (comma = csv_row.find(',', start)) != std::string::npos; start = comma + 1)
    fields.push_back(csv_row.substr(start, comma - start));
  fields.push_back(csv_row.substr(start));
  return fields;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

class SweepControlTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }

  simdjson::dom::element Parse(const std::string& line) {
    simdjson::dom::element doc;
    EXPECT_EQ(parser_.parse(line).get(doc), simdjson::SUCCESS) << line;
    return doc;
  }

  simdjson::dom::parser parser_;
};

TEST_F(SweepControlTest, ThreeRatesWriteThreeLinesThreeRowsAndTheSummary) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "sweep.jsonl"),
              csv = testing::TempPath("sweep-e2e", "sweep.csv");
  ProcessResult r =
      RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl,
                                       {"--num-prompts", "8", "--multi", "--request-rates",
                                        "40,80,inf", "--csv", csv, "--seed", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = testing::NonEmptyLines(jsonl);
  ASSERT_EQ(lines.size(), 3u);
  std::vector<int64_t> first_sends;
  for (size_t i = 0; i < 3; ++i) {
    simdjson::dom::element doc = Parse(lines[i]);
    EXPECT_EQ(int64_t(doc["completed"]), 8) << lines[i];
    EXPECT_FALSE(bool(doc["interrupted"]));
    EXPECT_TRUE(doc["cache_flushed"].is_null());
  }
  EXPECT_EQ(double(Parse(lines[0])["request_rate"]), 40.0);
  EXPECT_EQ(double(Parse(lines[1])["request_rate"]), 80.0);
  EXPECT_EQ(std::string_view(Parse(lines[2])["request_rate"]), "inf");
  // The same unit gaps at every rate: the scheduled rate doubles from 40 to 80.
  double scheduled_40 = Parse(lines[0])["scheduled_request_rate"];
  double scheduled_80 = Parse(lines[1])["scheduled_request_rate"];
  EXPECT_NEAR(scheduled_80 / scheduled_40, 2.0, 1e-6);

  std::vector<std::string> rows = testing::NonEmptyLines(csv);
  ASSERT_EQ(rows.size(), 4u);  // header + one row per rate
  EXPECT_TRUE(rows[0].starts_with("backend,")) << rows[0];
  EXPECT_NE(rows[3].find(",inf,"), std::string::npos) << rows[3];

  EXPECT_EQ(Count(r.out, "Serving Benchmark Result"), 3u) << r.out;
  size_t summary = r.out.find("completed");
  ASSERT_NE(summary, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("p99 TTFT", summary), std::string::npos);
  std::string after = r.out.substr(summary);
  EXPECT_EQ(Count(after, "\n"), 4u) << after;  // header + 3 rates
  EXPECT_EQ(Count(after, " yes\n") + Count(after, " no\n"), 3u) << after;
}

TEST_F(SweepControlTest, RangeIsStartStopStepWithANotice) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "range.jsonl");
  // LMDeploy's reading: 100,200,400 is the range {100}.
  ProcessResult r = RunServebench(
      FixedLengthRunArgs(sim.base_url(), jsonl,
                         {"--num-prompts", "3", "--multi", "--request-rate-range", "100,200,400"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--request-rate-range 100,200,400 is start,stop,step"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("rates 100 "), std::string::npos) << r.err;
  ASSERT_EQ(testing::NonEmptyLines(jsonl).size(), 1u);
  EXPECT_EQ(double(Parse(testing::NonEmptyLines(jsonl)[0])["request_rate"]), 100.0);

  // Without --multi the range is ignored with a warning and the one --request-rate runs.
  std::string single = testing::TempPath("sweep-e2e", "single.jsonl");
  r = RunServebench(FixedLengthRunArgs(sim.base_url(), single,
                                       {"--num-prompts", "3", "--request-rate-range", "2,34,2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--request-rate-range is ignored without --multi"), std::string::npos)
      << r.err;
  ASSERT_EQ(testing::NonEmptyLines(single).size(), 1u);
  EXPECT_EQ(std::string_view(Parse(testing::NonEmptyLines(single)[0])["request_rate"]), "inf");
}

TEST_F(SweepControlTest, CtrlCDuringASweepWritesTheCurrentRateAndStops) {
  // 1 s per request (20 events 50 ms apart): the signal lands inside the first rate.
  SimProcess sim({"--pace", "10,50"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "interrupt.jsonl");
  std::vector<std::string> args =
      FixedLengthRunArgs(sim.base_url(), jsonl,
                         {"--num-prompts", "6", "--disable-warmup", "--multi", "--request-rates",
                          "4,8,16", "--drain-timeout", "0.2"});
  *(std::find(args.begin(), args.end(), "--random-output-len") + 1) = "20";
  ProcessResult r = RunServebench(
      args, 30000, [](pid_t pid) { kill(pid, SIGINT); }, 700);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  std::vector<std::string> lines = testing::NonEmptyLines(jsonl);
  ASSERT_EQ(lines.size(), 1u);  // the later rates never ran
  simdjson::dom::element doc = Parse(lines[0]);
  EXPECT_TRUE(bool(doc["interrupted"]));
  EXPECT_EQ(double(doc["request_rate"]), 4.0);
  EXPECT_FALSE(bool(doc["run_valid"]));
}

TEST_F(SweepControlTest, CalibratePrintsItsFiguresAndWarnsOnlyWhenThePlanNeedsMore) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  // A planned rate no client sustains: 1e7 req/s × 4 events.
  std::string jsonl = testing::TempPath("sweep-e2e", "calibrate.jsonl");
  ProcessResult r =
      RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl,
                                       {"--num-prompts", "40", "--request-rate", "10000000",
                                        "--calibrate", "--calibrate-seconds", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Calibration: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("token events/s"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: --calibrate: the planned run needs"), std::string::npos) << r.err;
  simdjson::dom::element doc = Parse(testing::NonEmptyLines(jsonl).at(0));
  simdjson::dom::element c = doc["calibration"];
  EXPECT_EQ(int64_t(c["requests"]), 40);
  EXPECT_EQ(int64_t(c["token_events"]), 160);
  EXPECT_GT(double(c["events_per_s"]), 0.0);
  EXPECT_GE(double(c["send_lag_p99_ms"]), 0.0);
  EXPECT_DOUBLE_EQ(double(c["planned_events_per_s"]), 4e7);
  EXPECT_TRUE(bool(c["warning"]));

  // 2 req/s × 4 events is far below what any client sustains; the replay is cut at 1 s.
  std::string slow = testing::TempPath("sweep-e2e", "calibrate-slow.jsonl");
  r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), slow,
      {"--num-prompts", "3", "--request-rate", "2", "--calibrate", "--calibrate-seconds", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning: --calibrate"), std::string::npos) << r.err;
  simdjson::dom::element c2 = Parse(testing::NonEmptyLines(slow).at(0))["calibration"];
  EXPECT_FALSE(bool(c2["warning"]));
  EXPECT_GE(int64_t(c2["requests"]), 1);
  EXPECT_LE(int64_t(c2["requests"]), 3);
  EXPECT_DOUBLE_EQ(double(c2["planned_events_per_s"]), 8.0);
}

TEST_F(SweepControlTest, FlushCacheFlushesAnIdleServer) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  for (std::string backend : {"sglang", "vllm"}) {
    SCOPED_TRACE(backend);
    std::string jsonl = testing::TempPath("sweep-e2e", "flush-" + backend + ".jsonl");
    ProcessResult r = RunServebench(FixedLengthRunArgs(
        sim.base_url(), jsonl, {"--backend", backend, "--num-prompts", "4", "--flush-cache"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("--flush-cache"), std::string::npos) << r.err;
    EXPECT_TRUE(bool(Parse(testing::NonEmptyLines(jsonl).at(0))["cache_flushed"]));
  }
}

TEST_F(SweepControlTest, FlushCacheRefusedWhileRequestsRunGivesUpAfterTheTimeout) {
  SimProcess sim({"--pace", "5,5"});
  ASSERT_TRUE(sim.ok());
  // Another client keeps one request running (~4 s) for the whole flush attempt.
  std::thread busy([&] {
    testing::HttpClient client(sim.port());
    client.Post("/generate",
                R"({"text":"hold","sampling_params":{"max_new_tokens":800,"ignore_eos":true},)"
                R"("stream":true})");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string jsonl = testing::TempPath("sweep-e2e", "flush-refused.jsonl");
  ProcessResult r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), jsonl,
      {"--num-prompts", "2", "--disable-warmup", "--flush-cache", "--flush-cache-timeout", "1.5"}));
  busy.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--flush-cache: POST "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 400"), std::string::npos) << r.err;
  simdjson::dom::element doc = Parse(testing::NonEmptyLines(jsonl).at(0));
  EXPECT_FALSE(bool(doc["cache_flushed"]));
  EXPECT_EQ(int64_t(doc["completed"]), 2);
}

TEST_F(SweepControlTest, ProfileCallsTheServerAndWarnsForAWorkerThatDoesNotAnswer) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "profile.jsonl");
  ProcessResult r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), jsonl,
      {"--num-prompts", "2", "--profile", "--profile-output-dir", "/tmp/trace"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("--profile"), std::string::npos) << r.err;

  r = RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl,
                                       {"--num-prompts", "2", "--profile", "--pd-separated",
                                        "--profile-prefill-url", "http://127.0.0.1:1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --profile: POST http://127.0.0.1:1/start_profile"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: --profile: POST http://127.0.0.1:1/stop_profile"),
            std::string::npos)
      << r.err;
}

// A ShareGPT file of `n` two-turn conversations, long enough to pass the length filters.
std::string WriteShareGpt(const std::string& path, int n) {
  std::ofstream out(path);
  out << "[";
  for (int i = 0; i < n; ++i) {
    out << (i ? "," : "") << R"({"id":"c)" << i
        << R"(","conversations":[{"from":"human","value":"Please tell me something about the )"
           R"(number )"
        << i << R"( today."},{"from":"gpt","value":"Here is a short answer about the number )" << i
        << R"( for you."}]})";
  }
  out << "]";
  return path;
}

namespace fs = std::filesystem;

// Without --csv the positional form appends to ../profile_api_server.csv, as LMDeploy's script
// does: relative to the directory it runs in.
TEST_F(SweepControlTest, PositionalFormWritesItsCsvBesideTheWorkingDirectory) {
  SimProcess sim({"--instant", "--family", "lmdeploy"});
  ASSERT_TRUE(sim.ok());
  std::string top = testing::TempPath("sweep-e2e", "positional-cwd");
  fs::remove_all(top);
  fs::create_directories(top + "/work");
  std::string sharegpt = WriteShareGpt(top + "/sharegpt.json", 50);
  int code = testing::RunServebenchAfter(
      "cd '" + top + "/work'",
      {"run", sim.base_url(), testing::TokenizerFixture(), sharegpt, "--num_prompts", "10",
       "--output-file", top + "/result.jsonl", "--disable-tqdm"},
      top + "/err");
  ASSERT_EQ(code, 0) << testing::ReadWhole(top + "/err");
  std::vector<std::string> rows = testing::NonEmptyLines(top + "/profile_api_server.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[1].starts_with("lmdeploy,64,")) << rows[1];
  fs::remove_all(top);
}

TEST_F(SweepControlTest, PositionalFormTakesLmdeployDefaults) {
  SimProcess sim({"--instant", "--family", "lmdeploy"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "positional.jsonl"),
              csv = testing::TempPath("sweep-e2e", "positional.csv");
  std::string sharegpt = WriteShareGpt(testing::TempPath("sweep-e2e", "sharegpt.json"), 2000);
  ProcessResult r =
      RunServebench({"run", sim.base_url(), testing::TokenizerFixture(), sharegpt, "--output-file",
                     jsonl, "--csv", csv, "--disable-tqdm", "--ready-check-timeout-sec", "5"},
                    60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc = Parse(testing::NonEmptyLines(jsonl).at(0));
  EXPECT_EQ(std::string_view(doc["backend"]), "lmdeploy");
  EXPECT_EQ(std::string_view(doc["dataset_name"]), "sharegpt");
  EXPECT_EQ(int64_t(doc["num_prompts"]), 2000);
  EXPECT_EQ(int64_t(doc["completed"]), 2000);
  EXPECT_EQ(int64_t(doc["closed_loop_concurrency"]), 64);
  EXPECT_EQ(int64_t(doc["seed"]), 0);
  EXPECT_EQ(std::string_view(doc["base_url"]), sim.base_url());
  EXPECT_EQ(std::string_view(doc["tokenizer_id"]), testing::TokenizerFixture());
  std::vector<std::string> rows = testing::NonEmptyLines(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].starts_with("backend,bs,")) << rows[0];  // closed-loop columns
  EXPECT_TRUE(rows[1].starts_with("lmdeploy,64,")) << rows[1];
  std::vector<std::string> fields = Fields(rows[1]);
  ASSERT_GE(fields.size(), 3u);
  EXPECT_EQ(fields[fields.size() - 3], "-") << rows[1];  // not streamed: no TTFT
  EXPECT_EQ(fields.back(), "-") << rows[1];              // nor ITL

  // --stream-output streams.
  std::string streamed = testing::TempPath("sweep-e2e", "positional-stream.csv");
  r = RunServebench({"run", sim.base_url(), testing::TokenizerFixture(), sharegpt, "--num_prompts",
                     "20", "--stream_output", "--output-file", jsonl, "--csv", streamed,
                     "--disable-tqdm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = testing::NonEmptyLines(streamed);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(Fields(rows[1]).back(), "-") << rows[1];
}

TEST_F(SweepControlTest, SglangTokenizerComesFromModelInfo) {
  // serve-sim's /model_info names its --model-name as tokenizer_path.
  SimProcess sim({"--instant", "--model-name", testing::TokenizerFixture()});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "model-info.jsonl");
  ProcessResult r = RunServebench(
      {"run", "--base-url", sim.base_url(), "--backend", "sglang", "--served-model-name",
       "other-name", "--dataset-name", "random-ids", "--random-input-len", "8",
       "--random-output-len", "2", "--num-prompts", "2", "--output-file", jsonl, "--disable-tqdm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc = Parse(testing::NonEmptyLines(jsonl).at(0));
  EXPECT_EQ(std::string_view(doc["model_id"]), "other-name");
  EXPECT_EQ(std::string_view(doc["tokenizer_id"]), testing::TokenizerFixture());
}

TEST_F(SweepControlTest, CompatVllmWaitsWithTheFirstRequest) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sweep-e2e", "vllm-ready.jsonl");
  ProcessResult r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), jsonl, {"--backend", "vllm", "--compat", "vllm", "--num-prompts", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(int64_t(Parse(testing::NonEmptyLines(jsonl).at(0))["completed"]), 3);

  // Nothing listens: the first request is refused until the timeout; the line names the URL.
  r = RunServebench({"run",
                     "--base-url",
                     "http://127.0.0.1:1",
                     "--backend",
                     "vllm",
                     "--compat",
                     "vllm",
                     "--model",
                     "m",
                     "--tokenizer",
                     testing::TokenizerFixture(),
                     "--dataset-name",
                     "random-ids",
                     "--random-input-len",
                     "8",
                     "--random-output-len",
                     "2",
                     "--num-prompts",
                     "2",
                     "--ready-check-timeout-sec",
                     "2",
                     "--output-file",
                     testing::TempPath("sweep-e2e", "vllm-down.jsonl"),
                     "--disable-tqdm"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("server not ready at http://127.0.0.1:1/v1/completions"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--compat vllm sends the first request"), std::string::npos) << r.err;
  EXPECT_EQ(Count(r.err, "\n"), 1u) << r.err;
}

TEST_F(SweepControlTest, BadValuesGiveOneLineNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;  // after "run"
    std::string names;
  };
  const std::string url = "http://127.0.0.1:1";
  auto flags = [&](std::vector<std::string> more) {
    std::vector<std::string> args = {"--base-url",     url,
                                     "--tokenizer",    testing::TokenizerFixture(),
                                     "--dataset-name", "random-ids"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  const std::vector<Case> cases = {
      {flags({"--multi", "--request-rates", "1,x"}), "--request-rates"},
      {flags({"--multi", "--request-rates", "0"}), "--request-rates"},
      {flags({"--multi", "--request-rate-range", "5,1,1"}), "--request-rate-range"},
      {flags({"--multi", "--request-rate-range", "1,5,0"}), "--request-rate-range"},
      {flags({"--multi", "--request-rates", "1,2", "--request-rate-range", "1,2"}),
       "--request-rates"},
      {flags({"--multi", "--concurrency", "4"}), "--multi"},
      {flags({"--calibrate", "--calibrate-seconds", "0"}), "--calibrate-seconds"},
      {flags({"--flush-cache", "--flush-cache-timeout", "-1"}), "--flush-cache-timeout"},
      {flags({"--profile-prefill-url", "http://a", "--profile-decode-url", "http://b"}),
       "--profile-prefill-url"},
      {{url, testing::TokenizerFixture(), "--dataset-name", "random-ids"}, "positional operands"},
      {{url, testing::TokenizerFixture(), "data.json", "--base-url", url}, "--base-url"},
      {{"127.0.0.1:1", testing::TokenizerFixture(), "data.json"}, "SERVER_ADDR"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.names);
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    ProcessResult r = RunServebench(args, 20000);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(Count(r.err, "\n"), 1u) << r.err;
  }
}

}  // namespace
}  // namespace servebench
