// `servebench run` with the synthetic and trace datasets (generated-shared-prefix, image,
// mooncake, prefix_repetition, burstgpt), end to end: --dry-run summaries, short runs against a
// serve-sim child, and bad input giving one line and exit code 2.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

using testing::ProcessResult;
using testing::RunServebench;
using testing::SimProcess;

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

class SyntheticDatasetsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }

  // A short run of `dataset_args` against a fresh serve-sim; expects every request to succeed.
  void RunAgainstSim(const std::vector<std::string>& dataset_args, int64_t requests) {
    SimProcess sim({"--instant", "--family", "vllm"});
    ASSERT_TRUE(sim.ok());
    std::string jsonl = testing::TempPath("synth-e2e", "run.jsonl");
    std::remove(jsonl.c_str());
    ProcessResult r = RunServebench(
        With({"run", "--base-url", sim.base_url(), "--tokenizer", testing::TokenizerFixtureDir(),
              "--output-file", jsonl, "--disable-tqdm", "--ready-check-timeout-sec", "5"},
             dataset_args),
        60000);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    testing::LastJsonLine last(jsonl);
    simdjson::dom::element doc = last.element();
    EXPECT_EQ(int64_t(doc["completed"]), requests) << last.line();
    EXPECT_EQ(int64_t(doc["failed"]), 0) << last.line();
    EXPECT_GT(int64_t(doc["total_input_tokens"]), 0) << last.line();
  }

  ProcessResult DryRun(const std::vector<std::string>& dataset_args) {
    return RunServebench(
        With({"run", "--tokenizer", testing::TokenizerFixtureDir(), "--model", "m", "--dry-run"},
             dataset_args));
  }
};

TEST_F(SyntheticDatasetsE2eTest, GspDryRunCountsGroupsTimesPrompts) {
  ProcessResult r =
      DryRun({"--backend", "vllm", "--dataset-name", "generated-shared-prefix", "--gsp-num-groups",
              "3", "--gsp-prompts-per-group", "4", "--gsp-system-prompt-len", "40",
              "--gsp-question-len", "8", "--gsp-output-len", "6", "--num-prompts", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // --num-prompts is ignored: 3 x 4 rows; each prompt is 40 + 8 tokens plus BOS and "\n\n".
  EXPECT_NE(r.out.find("12 of 12 requested"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total 72"), std::string::npos) << r.out;  // 12 x 6 output tokens
}

TEST_F(SyntheticDatasetsE2eTest, GspRunsAgainstServeSim) {
  RunAgainstSim({"--backend", "vllm", "--dataset-name", "generated-shared-prefix",
                 "--gsp-num-groups", "2", "--gsp-prompts-per-group", "3", "--gsp-system-prompt-len",
                 "64", "--gsp-question-len", "8", "--gsp-output-len", "4", "--gsp-send-routing-key",
                 "--gsp-group-distribution", "zipf", "--gsp-zipf-alpha", "1.2"},
                6);
}

TEST_F(SyntheticDatasetsE2eTest, ImageRunsAgainstServeSimOnAChatBackend) {
  for (const char* format : {"jpeg", "png"}) {
    RunAgainstSim(
        {"--backend", "vllm-chat", "--dataset-name", "image", "--num-prompts", "3", "--image-count",
         "2", "--image-resolution", "48x64", "--image-format", format, "--random-input-len", "16",
         "--random-output-len", "4", "--vision-tokens-per-image", "10"},
        3);
  }
}

TEST_F(SyntheticDatasetsE2eTest, MooncakeRunsAgainstServeSimWithRounds) {
  std::string trace = testing::TempPath("synth-e2e", "mooncake.jsonl");
  std::ofstream(trace)
      << R"({"timestamp": 0, "input_length": 10, "output_length": 3, "hash_ids": [1, 2]})"
      << "\n"
      << R"({"timestamp": 50, "output_length": 2, "hash_ids": [1, 3]})"
      << "\n";
  RunAgainstSim({"--backend", "vllm-chat", "--dataset-name", "mooncake", "--dataset-path", trace,
                 "--mooncake-block-size", "4", "--mooncake-num-rounds", "2", "--num-prompts", "2"},
                4);
}

TEST_F(SyntheticDatasetsE2eTest, OtherDatasetsPrepare) {
  ProcessResult r =
      DryRun({"--backend", "vllm", "--dataset-name", "prefix_repetition", "--num-prompts", "5",
              "--prefix-repetition-num-prefixes", "2", "--prefix-repetition-prefix-len", "16",
              "--prefix-repetition-suffix-len", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5 of 5 requested"), std::string::npos) << r.out;
  std::string csv = testing::TempPath("synth-e2e", "burst.csv");
  std::ofstream(csv) << "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"
                        "0.5,GPT-4,20,5,25,Conversation log\n1.5,ChatGPT,20,5,25,API log\n";
  r = DryRun({"--backend", "vllm", "--dataset-name", "burstgpt", "--dataset-path", csv,
              "--num-prompts", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 of 3 requested"), std::string::npos) << r.out;  // with replacement
}

TEST_F(SyntheticDatasetsE2eTest, BadInputIsOneLineAndExitTwo) {
  std::string trace = testing::TempPath("synth-e2e", "bad.jsonl");
  std::ofstream(trace) << R"({"timestamp": 0, "hash_ids": [1]})"
                       << "\n{\"timestamp\": 5,\n";
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"--backend", "vllm-chat", "--dataset-name", "image", "--image-resolution", "1080by1920"},
       "--image-resolution: expected"},
      {{"--backend", "vllm", "--dataset-name", "image"}, "--backend vllm: the image dataset"},
      {{"--backend", "vllm-chat", "--dataset-name", "mooncake", "--dataset-path", trace},
       trace + ":2: expected a JSON object"},
      {{"--backend", "vllm", "--dataset-name", "burstgpt"}, "--dataset-path: the burstgpt"},
      {{"--backend", "vllm", "--dataset-name", "generated-shared-prefix",
        "--gsp-group-distribution", "zipf"},
       "--gsp-zipf-alpha: required"},
      {{"--backend", "openai-chat", "--dataset-name", "mmmu", "--dataset-path",
        testing::TempPath("synth-e2e", "math.parquet")},
       "parquet is not read"},
  };
  for (const Case& c : cases) {
    ProcessResult r = DryRun(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.expected << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace servebench
