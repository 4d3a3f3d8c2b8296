// `servebench throughput DATASET MODEL_PATH` end to end: the built binary on a ShareGPT file it
// is given here, with the engine model in simulated time (figures computed by hand from fixed
// step costs) and against a serve-sim child with --base-url; bad flags give one line and exit 2.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
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

constexpr int kConversations = 8;

// A ShareGPT file whose prompts and replies all pass LMDeploy's filters (at least 4 tokens each,
// well under 1024 / 2048).
std::string WriteShareGpt() {
  std::string path = testing::TempPath("throughput-e2e", "sharegpt.json");
  std::ofstream out(path);
  out << "[";
  for (int i = 0; i < kConversations; ++i) {
    std::string reply;
    for (int w = 0; w < 6 + 3 * i; ++w)
      reply += "word" + std::to_string(w) + " ";
    out << (i ? "," : "") << R"({"id": "c)" << i << R"(", "conversations": [)"
        << R"({"from": "human", "value": "Please tell me something about topic number )" << i
        << R"( in a few sentences."},)"
        << R"({"from": "gpt", "value": ")" << reply << R"("}]})";
  }
  out << "]";
  return path;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The value column(s) after the 40-character label of the profile table's line `label`.
std::string Row(const std::string& table, const std::string& label) {
  for (const std::string& line : Lines(table)) {
    if (line.size() > 40 && line.compare(0, label.size(), label) == 0 &&
        line.find_first_not_of(' ', label.size()) >= 40) {
      std::string values = line.substr(40);
      return values.substr(values.find_first_not_of(' '));
    }
  }
  return "<no line " + label + ">";
}

std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');)
    fields.push_back(field);
  return fields;
}

class ThroughputE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RequireTokenizerFixture();
    dataset_ = WriteShareGpt();
    csv_ = testing::TempPath("throughput-e2e", "profile.csv");
    std::remove(csv_.c_str());
  }

  // The engine model with every step exactly `step_ms` long (no prefill or decode cost).
  std::vector<std::string> FixedStepArgs(std::vector<std::string> more, double step_ms = 10) {
    std::vector<std::string> args = {"throughput",
                                     dataset_,
                                     testing::TokenizerFixture(),
                                     "--num-prompts",
                                     std::to_string(kConversations),
                                     "--csv",
                                     csv_,
                                     "--step-base-ms",
                                     std::to_string(step_ms),
                                     "--prefill-us-per-token",
                                     "0",
                                     "--decode-us-per-seq",
                                     "0"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  std::string dataset_, csv_;
};

TEST_F(ThroughputE2eTest, EngineModelOneWorkerGivesTheStepRate) {
  // One worker, 10 ms per step, one token per step: every request's first token comes one step
  // after it is submitted, and the whole profile produces exactly 100 tokens per second.
  ProcessResult r = RunServebench(FixedStepArgs({"--concurrency", "1"}), 60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::string(35, '=') + " Profile Throughput " + std::string(35, '=')),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Row(r.out, "Total requests"), std::to_string(kConversations));
  EXPECT_EQ(Row(r.out, "Successful requests"), std::to_string(kConversations));
  EXPECT_EQ(Row(r.out, "Concurrency"), "1");
  EXPECT_EQ(Row(r.out, "Stream output"), "True");
  EXPECT_EQ(Row(r.out, "Output throughput (tok/s)"), "100.000");
  EXPECT_EQ(Row(r.out, "Time to First Token (TTFT)"),
            "0.010     0.010     0.010     0.010     0.010");
  EXPECT_EQ(Row(r.out, "Time per Output Token (TPOT)"),
            "0.010     0.010     0.010     0.010     0.010");
  EXPECT_EQ(Row(r.out, "Inter-token Latency (ITL)"),
            "0.010     0.010     0.010     0.010     0.010");
  EXPECT_EQ(Row(r.out, "Tokens per Tick"), "1.000         1         1         1         1");
  for (const std::string& line : Lines(r.out))
    EXPECT_LE(line.size(), 90u) << line;
  // The duration is the sum of every request's E2E: tokens / 100.
  double duration = std::stod(Row(r.out, "Benchmark duration"));
  double tokens = std::stod(Row(r.out, "Total generated tokens"));
  EXPECT_NEAR(duration, tokens / 100, 0.0005);
  EXPECT_NEAR(std::stod(Row(r.out, "Request throughput (req/s)")), kConversations / duration,
              0.001);

  std::vector<std::string> csv = Lines(testing::ReadWhole(csv_));
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_EQ(csv[0],
            "backend,bs,dataset_name,sharegpt_output_len,random_input_len,random_output_len,"
            "random_range_ratio,num_prompts,completed,total_input_tokens,total_output_tokens,"
            "duration,request_throughput,input_throughput,output_throughput,mean_e2e_latency_ms,"
            "mean_ttft_ms,mean_tpot_ms,mean_itl_ms");
  std::vector<std::string> row = CsvFields(csv[1]);
  ASSERT_EQ(row.size(), 19u) << csv[1];
  EXPECT_EQ(row[0], "sim");
  EXPECT_EQ(row[1], "1");
  EXPECT_EQ(row[2], "sharegpt");
  EXPECT_EQ(row[8], std::to_string(kConversations));
  EXPECT_EQ(row[14], "100.000");  // output_throughput
  EXPECT_EQ(row[16], "10.000");   // mean_ttft_ms
  EXPECT_EQ(row[17], "10.000");   // mean_tpot_ms
  EXPECT_EQ(row[18], "10.000");   // mean_itl_ms
}

TEST_F(ThroughputE2eTest, EngineModelWorkersShareSteps) {
  // As many workers as requests: all run in the same steps, so the duration is the longest
  // request and the token rate is the sum over requests divided by it.
  ProcessResult one = RunServebench(FixedStepArgs({"--concurrency", "1"}), 60000);
  ProcessResult all = RunServebench(
      FixedStepArgs({"--concurrency", std::to_string(kConversations), "--tp", "2"}), 60000);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(all.exit_code, 0) << all.err;
  double tokens = std::stod(Row(all.out, "Total generated tokens"));
  EXPECT_EQ(Row(all.out, "Total generated tokens"), Row(one.out, "Total generated tokens"));
  // --tp 2 halves the 10 ms step.
  EXPECT_EQ(Row(all.out, "Time to First Token (TTFT)"),
            "0.005     0.005     0.005     0.005     0.005");
  double duration = std::stod(Row(all.out, "Benchmark duration"));
  std::istringstream e2e(Row(all.out, "End-to-end Latency"));  // mean, P50, P75, P95, P99
  double p99_e2e = 0;
  for (int k = 0; k < 5; ++k)
    e2e >> p99_e2e;
  EXPECT_NEAR(duration, p99_e2e, 0.01) << all.out;  // p99 of 8 is near the longest
  EXPECT_LT(duration, tokens / 200 / 2);            // far below the one-worker time at tp 2
}

TEST_F(ThroughputE2eTest, EngineModelWithoutStreaming) {
  ProcessResult r =
      RunServebench(FixedStepArgs({"--concurrency", "2", "--no-stream-output"}), 60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Row(r.out, "Stream output"), "False");
  EXPECT_EQ(r.out.find("Time to First Token"), std::string::npos) << r.out;
  std::vector<std::string> row = CsvFields(Lines(testing::ReadWhole(csv_)).back());
  ASSERT_EQ(row.size(), 19u);
  EXPECT_EQ(row[16], "-");
  EXPECT_EQ(row[18], "-");
}

TEST_F(ThroughputE2eTest, UnderscoreSpellingsAndNotApplicableOptions) {
  ProcessResult r =
      RunServebench({"throughput", dataset_, testing::TokenizerFixture(), "--num_prompts", "4",
                     "--csv", csv_, "--stream_output", "--cache_max_entry_count", "0.5", "--top_p",
                     "0.9", "--backend", "pytorch"},
                    60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Row(r.out, "Total requests"), "4");
  EXPECT_NE(r.err.find("--cache-max-entry-count is not applicable to the engine model"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--top-p is not applicable"), std::string::npos) << r.err;
}

TEST_F(ThroughputE2eTest, SessionLenCutsRequestsOutOfTheProfile) {
  // A context of 20 tokens leaves the longer replies short of their length: the profile leaves
  // those requests out (LMDeploy's rule), so fewer are successful than were sent.
  ProcessResult r = RunServebench(FixedStepArgs({"--session-len", "20"}), 60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Row(r.out, "Total requests"), std::to_string(kConversations));
  EXPECT_LT(std::stoi(Row(r.out, "Successful requests")), kConversations);
}

TEST_F(ThroughputE2eTest, AgainstAServer) {
  SimProcess sim({"--family", "lmdeploy", "--pace", "20,5"});
  ASSERT_FALSE(sim.base_url().empty());
  // Like LMDeploy's profile_throughput, only --csv is written: no default-named result file
  // appears in the working directory.
  auto result_files_here = [] {  // name → size, so an append shows too
    std::map<std::string, uintmax_t> files;
    for (const auto& entry : std::filesystem::directory_iterator(".")) {
      std::string name = entry.path().filename().string();
      if (name.starts_with("lmdeploy_")) files[name] = entry.file_size();
    }
    return files;
  };
  const std::map<std::string, uintmax_t> before = result_files_here();
  ProcessResult r =
      RunServebench({"throughput", dataset_, testing::TokenizerFixture(), "--base-url",
                     sim.base_url(), "--concurrency", "4", "--num-prompts",
                     std::to_string(kConversations), "--csv", csv_, "--tp", "2"},
                    60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" Profile Throughput "), std::string::npos) << r.out;
  EXPECT_EQ(Row(r.out, "Successful requests"), std::to_string(kConversations)) << r.out;
  EXPECT_EQ(Row(r.out, "Concurrency"), "4");
  // --pace 20,5: TTFT about 20 ms, ITL about 5 ms (loopback and a loaded machine add a little).
  double ttft_mean = std::stod(Row(r.out, "Time to First Token (TTFT)"));
  EXPECT_GE(ttft_mean, 0.019);
  EXPECT_LT(ttft_mean, 0.200);
  EXPECT_NE(r.err.find("--tp is not applicable to a server"), std::string::npos) << r.err;
  std::vector<std::string> row = CsvFields(Lines(testing::ReadWhole(csv_)).back());
  ASSERT_EQ(row.size(), 19u);
  EXPECT_EQ(row[0], "lmdeploy");
  EXPECT_EQ(row[1], "4");
  EXPECT_EQ(result_files_here(), before);
}

struct BadFlag {
  std::vector<std::string> args;
  std::string names;  // the message names this
};

TEST_F(ThroughputE2eTest, BadFlagsGiveOneLineAndExitTwo) {
  std::vector<BadFlag> cases = {
      {{"--engine", "gpu"}, "--engine gpu"},
      {{"--engine", "sim", "--base-url", "http://127.0.0.1:1"}, "--base-url"},
      {{"--backend", "vllm"}, "--backend vllm"},
      {{"--log-level", "LOUD"}, "--log-level LOUD"},
      {{"--concurrency", "0"}, "--concurrency"},
      {{"--tp", "0"}, "--tp"},
      {{"--cache-max-entry-count", "2"}, "--cache-max-entry-count"},
      {{"--max-running", "-1"}, "--max-running"},
  };
  for (const BadFlag& c : cases) {
    std::vector<std::string> args = {"throughput", dataset_, testing::TokenizerFixture(), "--csv",
                                     csv_};
    args.insert(args.end(), c.args.begin(), c.args.end());
    ProcessResult r = RunServebench(args, 30000);
    EXPECT_EQ(r.exit_code, 2) << c.names << ": " << r.err;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  ProcessResult missing = RunServebench({"throughput", dataset_}, 30000);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("MODEL_PATH"), std::string::npos) << missing.err;
  ProcessResult no_file =
      RunServebench({"throughput", testing::TempPath("throughput-e2e", "absent.json"),
                     testing::TokenizerFixture(), "--csv", csv_},
                    30000);
  EXPECT_EQ(no_file.exit_code, 2);
  EXPECT_NE(no_file.err.find("absent.json"), std::string::npos) << no_file.err;
  ProcessResult no_tokenizer = RunServebench(
      {"throughput", dataset_, testing::TempPath("throughput-e2e", "no-model"), "--csv", csv_},
      30000);
  EXPECT_EQ(no_tokenizer.exit_code, 2);
  EXPECT_NE(no_tokenizer.err.find("MODEL_PATH"), std::string::npos) << no_tokenizer.err;
}

}  // namespace
}  // namespace servebench
