// Server-side figures (spec/metrics.md §10) end to end: vLLM's spec-decode counters scraped from
// serve-sim's /metrics around the measured phase, and SGLang's accept length from /server_info.
// serve-sim's counters follow --accept-length exactly, so every figure is known in advance.
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

using testing::FixedLengthRunArgs;
using testing::LastJsonLine;
using testing::ProcessResult;
using testing::RunServebench;
using testing::SimProcess;

class ServerFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }
};

std::string FreshDir(const std::string& name) {
  std::string dir = testing::TempPath("server-figures-e2e", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string OnlyFileIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files.push_back(entry.path().string());
  EXPECT_EQ(files.size(), 1u) << dir;
  return files.empty() ? std::string() : files[0];
}

void ExpectSpecDecodeKeys(simdjson::dom::element doc, const std::string& text) {
  // 10 requests of 4 tokens at 2.5 tokens per draft of 3: 16 drafts, 48 draft tokens, 24
  // accepted (16 at position 0, 8 at position 1, none at 2); the warmup is outside the deltas.
  EXPECT_EQ(int64_t(doc["spec_decode_num_drafts"]), 16) << text;
  EXPECT_EQ(int64_t(doc["spec_decode_draft_tokens"]), 48);
  EXPECT_EQ(int64_t(doc["spec_decode_accepted_tokens"]), 24);
  EXPECT_DOUBLE_EQ(double(doc["spec_decode_acceptance_length"]), 2.5);
  EXPECT_DOUBLE_EQ(double(doc["spec_decode_acceptance_rate"]), 50.0);
  simdjson::dom::array per_position = doc["spec_decode_per_position_acceptance_rates"];
  ASSERT_EQ(per_position.size(), 3u);
  EXPECT_DOUBLE_EQ(double(per_position.at(0)), 1.0);
  EXPECT_DOUBLE_EQ(double(per_position.at(1)), 0.5);
  EXPECT_DOUBLE_EQ(double(per_position.at(2)), 0.0);
}

TEST_F(ServerFiguresTest, VllmSpecDecodeFiguresComeFromMetricsDeltas) {
  SimProcess sim(
      {"--instant", "--family", "vllm", "--accept-length", "2.5", "--spec-draft-tokens", "3"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("server-figures-e2e", "vllm.jsonl");
  std::string dir = FreshDir("vllm-result");
  ProcessResult r =
      RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl,
                                       {"--backend", "vllm", "--num-prompts", "10", "--compat",
                                        "vllm", "--save-result", "--result-dir", dir}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;

  LastJsonLine line(jsonl);
  simdjson::dom::element doc = line.element();
  ExpectSpecDecodeKeys(doc, line.line());
  EXPECT_DOUBLE_EQ(double(doc["accept_length"]), 2.5);
  simdjson::dom::element delta = doc["server_metrics_delta"];
  EXPECT_DOUBLE_EQ(
      double(delta[R"(vllm:generation_tokens_total{engine="0",model_name="serve-sim"})"]), 40.0)
      << line.line();
  EXPECT_DOUBLE_EQ(double(delta[R"(vllm:spec_decode_num_accepted_tokens_per_pos_total)"
                                R"({engine="0",model_name="serve-sim",position="1"})"]),
                   8.0);
  // A gauge is no delta, nor is a counter's _created timestamp.
  EXPECT_EQ(line.line().find("num_requests_running"), std::string::npos);
  EXPECT_EQ(line.line().find("_created"), std::string::npos);

  std::string result = testing::ReadWhole(OnlyFileIn(dir));
  simdjson::dom::parser parser;
  simdjson::dom::element saved;
  ASSERT_EQ(parser.parse(result).get(saved), simdjson::SUCCESS) << result;
  ExpectSpecDecodeKeys(saved, result);

  for (const char* text : {"Speculative Decoding", "Acceptance rate (%):                     50.00",
                           "Acceptance length:                       2.50",
                           "Drafts:                                  16",
                           "Draft tokens:                            48",
                           "Accepted tokens:                         24",
                           "  Position 1:                            50.00"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
}

TEST_F(ServerFiguresTest, VllmWithoutDraftsHasNoSpecDecodeFigures) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("server-figures-e2e", "vllm-plain.jsonl");
  ProcessResult r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), jsonl, {"--backend", "vllm", "--num-prompts", "5", "--compat", "vllm"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  LastJsonLine line(jsonl);
  EXPECT_EQ(line.line().find("spec_decode_"), std::string::npos) << line.line();
  EXPECT_TRUE(line.element()["accept_length"].is_null());
  EXPECT_DOUBLE_EQ(
      double(line.element()["server_metrics_delta"][R"(vllm:request_success_total)"
                                                    R"({engine="0",model_name="serve-sim"})"]),
      5.0);
  EXPECT_EQ(r.out.find("Speculative Decoding"), std::string::npos) << r.out;
}

TEST_F(ServerFiguresTest, SglangAcceptLengthComesFromServerInfo) {
  SimProcess sim({"--instant", "--family", "sglang", "--accept-length", "2.25"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("server-figures-e2e", "sglang.jsonl");
  ProcessResult r = RunServebench(
      FixedLengthRunArgs(sim.base_url(), jsonl, {"--backend", "sglang", "--num-prompts", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  LastJsonLine line(jsonl);
  EXPECT_DOUBLE_EQ(double(line.element()["accept_length"]), 2.25) << line.line();
  simdjson::dom::element info = line.element()["server_info"];
  EXPECT_DOUBLE_EQ(double(info["internal_states"].at(0)["avg_spec_accept_length"]), 2.25);
  EXPECT_NE(r.out.find("Accept length:                           2.25"), std::string::npos)
      << r.out;
}

TEST_F(ServerFiguresTest, SglangWithoutSpeculationPrintsNoAcceptLength) {
  SimProcess sim({"--instant", "--family", "sglang"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("server-figures-e2e", "sglang-plain.jsonl");
  ProcessResult r = RunServebench(
      FixedLengthRunArgs(sim.base_url(), jsonl, {"--backend", "sglang", "--num-prompts", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  LastJsonLine line(jsonl);
  EXPECT_TRUE(line.element()["accept_length"].is_null()) << line.line();
  EXPECT_TRUE(line.element()["server_info"]["internal_states"].is_array()) << line.line();
  EXPECT_EQ(r.out.find("Accept length:"), std::string::npos) << r.out;
}

// A server without the routes: the run goes on, and one warning line per route says what was
// skipped; no server-side figure is made up.
TEST_F(ServerFiguresTest, MissingMetricsRoutesWarnOnceAndTheRunGoesOn) {
  SimProcess vllm(
      {"--instant", "--family", "vllm", "--accept-length", "2.5", "--hide-route", "/metrics"});
  ASSERT_TRUE(vllm.ok());
  std::string jsonl = testing::TempPath("server-figures-e2e", "no-metrics.jsonl");
  ProcessResult r = RunServebench(
      FixedLengthRunArgs(vllm.base_url(), jsonl, {"--backend", "vllm", "--num-prompts", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = "servebench run: warning: GET " + vllm.base_url() + "/metrics: ";
  ASSERT_NE(r.err.find(warning), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(warning, r.err.find(warning) + 1), std::string::npos) << "once: " << r.err;
  EXPECT_NE(r.err.find("(server-side figures skipped)"), std::string::npos) << r.err;
  LastJsonLine line(jsonl);
  EXPECT_EQ(int64_t(line.element()["completed"]), 3);
  EXPECT_EQ(line.line().find("spec_decode_"), std::string::npos) << line.line();
  EXPECT_TRUE(line.element()["accept_length"].is_null());
  EXPECT_TRUE(line.element()["server_metrics_delta"].is_null());

  SimProcess sglang({"--instant", "--family", "sglang", "--accept-length", "2.25", "--hide-route",
                     "/server_info", "--hide-route", "/get_server_info"});
  ASSERT_TRUE(sglang.ok());
  std::string sglang_jsonl = testing::TempPath("server-figures-e2e", "no-server-info.jsonl");
  r = RunServebench(FixedLengthRunArgs(sglang.base_url(), sglang_jsonl,
                                       {"--backend", "sglang", "--num-prompts", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("servebench run: warning: GET " + sglang.base_url()), std::string::npos)
      << r.err;
  LastJsonLine sglang_line(sglang_jsonl);
  EXPECT_EQ(int64_t(sglang_line.element()["completed"]), 3);
  EXPECT_TRUE(sglang_line.element()["accept_length"].is_null()) << sglang_line.line();
}

}  // namespace
}  // namespace servebench
