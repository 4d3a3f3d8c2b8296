// The datasets end to end: `servebench run --dry-run` over sharegpt, custom and openai files
// (summary, warnings, errors and exit codes; no server), and short runs against serve-sim.
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

class DatasetsE2e : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = std::string(::testing::TempDir()) + "/datasets-e2e-" +
                       std::to_string(getpid()) + "-" + name;
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& f : files_)
      unlink(f.c_str());
  }
  // 30 conversations: 24 usable pairs, 3 with one turn, 3 with an empty prompt.
  std::string ShareGpt() {
    std::string json = "[";
    for (int i = 0; i < 30; ++i) {
      std::string prompt = i % 10 == 9 ? "" : "Tell me about topic number " + std::to_string(i);
      json += (i ? "," : "") + std::string("{\"id\":\"") + std::to_string(i) +
              "\",\"conversations\":[{\"from\":\"human\",\"value\":\"" + prompt + "\"}";
      if (i % 10 != 8) {
        json += ",{\"from\":\"gpt\",\"value\":\"Here is a reply about topic " + std::to_string(i) +
                " with a few more words.\"}";
      }
      json += "]}";
    }
    return Write("sharegpt.json", json + "]");
  }
  // A dry run needs no server: the base URL points at a closed port.
  std::vector<std::string> DryRun(std::vector<std::string> more) {
    std::vector<std::string> args = {"run",         "--dry-run",
                                     "--base-url",  "http://127.0.0.1:1",
                                     "--tokenizer", testing::TokenizerFixture()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  std::vector<std::string> files_;
};

TEST_F(DatasetsE2e, DryRunShareGptPrintsTheWorkloadSummary) {
  std::string path = ShareGpt();
  ProcessResult r = RunServebench(DryRun(
      {"--dataset-name", "sharegpt", "--dataset-path", path, "-n", "10", "--request-rate", "4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Dry run"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Records read:         30"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Sampled rows:         10 of 10 requested"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("with fewer than 2 turns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Input tokens:         total"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Schedule:             10 requests, open loop, last send at"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(DatasetsE2e, DryRunWarnsWhenFewerRowsThanAskedAndOversamples) {
  std::string path = ShareGpt();
  ProcessResult few =
      RunServebench(DryRun({"--dataset-name", "sharegpt", "--dataset-path", path, "-n", "100"}));
  ASSERT_EQ(few.exit_code, 0) << few.err;
  EXPECT_NE(few.err.find("only 24 usable rows for --num-prompts 100"), std::string::npos)
      << few.err;
  EXPECT_NE(few.err.find("3 with fewer than 2 turns"), std::string::npos) << few.err;
  EXPECT_NE(few.out.find("Sampled rows:         24 of 100 requested"), std::string::npos)
      << few.out;

  ProcessResult filled = RunServebench(
      DryRun({"--dataset-name", "sharegpt", "--dataset-path", path, "-n", "100", "--oversample"}));
  ASSERT_EQ(filled.exit_code, 0) << filled.err;
  EXPECT_NE(filled.out.find("Oversampled copies:   76"), std::string::npos) << filled.out;
  EXPECT_NE(filled.out.find("Schedule:             100 requests"), std::string::npos) << filled.out;
}

TEST_F(DatasetsE2e, BadDatasetsExitTwoWithOneLine) {
  std::string truncated = Write("truncated.json", "[{\"conversations\":[{\"value\":\"a\"},");
  std::string empty_prompts =
      Write("empty.json", "[{\"conversations\":[{\"value\":\"\"},{\"value\":\"x\"}]}]");
  std::string bad_jsonl = Write("bad.jsonl",
                                "{\"conversations\":[{\"content\":\"a b\"},{\"content\":\"c\"}]}\n"
                                "{\"conversations\": 7}\n");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {{"--dataset-name", "sharegpt", "--dataset-path", "/nonexistent/sharegpt.json"},
            "--dataset-path /nonexistent/sharegpt.json: no such file"},
           {{"--dataset-name", "sharegpt", "--dataset-path", truncated}, "truncated"},
           {{"--dataset-name", "sharegpt", "--dataset-path", empty_prompts},
            "no usable rows in " + empty_prompts + " (read 1, dropped: 1 prompt_len < 2)"},
           {{"--dataset-name", "custom", "--dataset-path", bad_jsonl}, bad_jsonl + ":2: "},
           {{"--dataset-name", "wikitext"}, "--dataset-name: unknown dataset 'wikitext'"},
           {{"--dataset-name", "sharegpt", "--dataset-path", truncated, "--sharegpt-output-len",
             "0"},
            "--sharegpt-output-len: expected >= 1"},
           {{"--dataset-name", "sharegpt", "--dataset-path", empty_prompts, "--multi-turn",
             "--backend", "vllm"},
            "--multi-turn: backend vllm"},
       }) {
    ProcessResult r = RunServebench(DryRun(c.args));
    EXPECT_EQ(r.exit_code, 2) << c.expected << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(DatasetsE2e, DryRunMultiTurnCountsSessionsAndRounds) {
  std::string path =
      Write("multi.jsonl",
            "{\"conversations\":[{\"content\":\"first question here\"},{\"content\":\"an "
            "answer\"},{\"content\":\"second question\"},{\"content\":\"another answer\"}]}\n");
  ProcessResult r = RunServebench(DryRun({"--dataset-name", "custom", "--dataset-path", path,
                                          "--multi-turn", "--backend", "openai-chat", "-n", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Sessions:             1 (2 rounds"), std::string::npos) << r.out;
}

TEST_F(DatasetsE2e, ShareGptAgainstServeSim) {
  SimProcess sim({"--instant"});
  std::string jsonl = Write("sharegpt-result.jsonl", "");
  ProcessResult r = RunServebench({"run",
                                   "--base-url",
                                   sim.base_url(),
                                   "--backend",
                                   "vllm",
                                   "--tokenizer",
                                   testing::TokenizerFixture(),
                                   "--dataset-name",
                                   "sharegpt",
                                   "--dataset-path",
                                   ShareGpt(),
                                   "-n",
                                   "8",
                                   "--sharegpt-output-len",
                                   "5",
                                   "--output-file",
                                   jsonl,
                                   "--disable-tqdm",
                                   "--ready-check-timeout-sec",
                                   "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
  EXPECT_EQ(int64_t(result["completed"]), 8);
  EXPECT_EQ(int64_t(result["total_output_tokens"]), 40);
  EXPECT_GT(int64_t(result["total_input_tokens"]), 8 * 5);
}

TEST_F(DatasetsE2e, OpenAiRowsSendTheirMessagesAndLimits) {
  SimProcess sim({"--instant", "--trace-out", Write("trace.jsonl", "")});
  std::string path = Write("requests.jsonl",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"one\"}],"
                           "\"max_tokens\":3}\n"
                           "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                           "{\"role\":\"user\",\"content\":\"two\"}],\"max_tokens\":5}\n"
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"three\"}],"
                           "\"max_completion_tokens\":7}\n");
  std::string jsonl = Write("openai-result.jsonl", "");
  ProcessResult r =
      RunServebench({"run", "--base-url", sim.base_url(), "--backend", "openai-chat", "--tokenizer",
                     testing::TokenizerFixture(), "--dataset-name", "openai", "--dataset-path",
                     path, "-n", "3", "--output-file", jsonl, "--disable-tqdm",
                     "--ready-check-timeout-sec", "5", "--disable-warmup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(testing::FirstLine(jsonl));
  EXPECT_EQ(int64_t(result["completed"]), 3);
  // Each row's own limit reached the server.
  EXPECT_EQ(int64_t(result["total_output_tokens"]), 3 + 5 + 7);
}

}  // namespace
}  // namespace servebench
