// `servebench run` with multi-turn sessions and trace timing, end to end against a serve-sim
// child: rounds carry the growing history (checked in the prompt sizes serve-sim recorded),
// keep the turn gap and are reported per round; a trace's timestamps set the send times.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
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

size_t Words(const std::string& text) {
  std::istringstream in(text);
  size_t n = 0;
  for (std::string w; in >> w;)
    ++n;
  return n;
}

class SessionsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }

  // A ShareGPT file of one conversation per entry of `users`: each user turn followed by the
  // reply "a dataset reply number R".
  static std::string WriteConversations(std::string_view name,
                                        const std::vector<std::vector<std::string>>& users) {
    std::string path = testing::TempPath("sessions-e2e", name);
    std::ofstream out(path);
    out << "[";
    for (size_t c = 0; c < users.size(); ++c) {
      out << (c ? "," : "") << "{\"id\":\"c" << c << "\",\"conversations\":[";
      for (size_t r = 0; r < users[c].size(); ++r) {
        out << (r ? "," : "") << "{\"from\":\"human\",\"value\":\"" << users[c][r]
            << "\"},{\"from\":\"gpt\",\"value\":\"a dataset reply number " << r << "\"}";
      }
      out << "]}";
    }
    out << "]";
    return path;
  }

  // A multi-turn vllm-chat run of the first `sessions` conversations of `data`, in file order,
  // each round asking for `output_len` tokens; then `more`.
  static std::vector<std::string> MultiTurnArgs(const std::string& base_url,
                                                const std::string& data, const std::string& jsonl,
                                                int sessions, int64_t output_len,
                                                const std::vector<std::string>& more) {
    std::vector<std::string> args = {"run",
                                     "--base-url",
                                     base_url,
                                     "--backend",
                                     "vllm-chat",
                                     "--tokenizer",
                                     testing::TokenizerFixture(),
                                     "--dataset-name",
                                     "sharegpt",
                                     "--dataset-path",
                                     data,
                                     "--multi-turn",
                                     "--disable-shuffle",
                                     "--num-prompts",
                                     std::to_string(sessions),
                                     "--sharegpt-output-len",
                                     std::to_string(output_len),
                                     "--output-file",
                                     jsonl,
                                     "--disable-tqdm",
                                     "--ready-check-timeout-sec",
                                     "5"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  // request_id -> prompt_tokens as serve-sim counted them (words of every message).
  static std::map<std::string, int64_t> TracePrompts(const std::string& path) {
    std::map<std::string, int64_t> out;
    std::ifstream in(path);
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element t;
      if (parser.parse(line).get(t) != simdjson::SUCCESS) continue;
      out[std::string(std::string_view(t["request_id"]))] = int64_t(t["prompt_tokens"]);
    }
    return out;
  }
};

TEST_F(SessionsE2eTest, AFailedRoundDropsTheRestOfItsSession) {
  // Two conversations of three rounds; serve-sim fails every generation request, so each
  // session ends at its first round and its two later rounds are never sent.
  std::string data = WriteConversations(
      "dropped.json", {{"question number zero", "question number one", "question number two"},
                       {"another question zero", "another one", "another two"}});
  SimProcess sim({"--instant", "--family", "vllm", "--fault", "http-5xx"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sessions-e2e", "dropped.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r =
      RunServebench(MultiTurnArgs(sim.base_url(), data, jsonl, 2, 4, {"--warmup-requests", "0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 0) << last.line();
  EXPECT_EQ(int64_t(doc["failed"]), 2) << last.line();
  EXPECT_EQ(int64_t(doc["rounds_dropped"]), 4) << last.line();
  EXPECT_EQ(int64_t(doc["not_sent"]), 0) << last.line();
}

TEST_F(SessionsE2eTest, MultiTurnRoundsCarryTheGeneratedHistoryAndKeepTheTurnGap) {
  // Three conversations of three rounds each (human, gpt, human, gpt, human, gpt).
  const std::vector<std::vector<std::string>> users = {
      {"tell me about the sea please", "and the mountains too", "now the deserts please"},
      {"explain how rivers form", "what about lakes then", "and oceans at last"},
      {"describe a forest walk", "what birds live there", "and what do they eat"}};
  std::string data = WriteConversations("sharegpt.json", users);
  std::string trace = testing::TempPath("sessions-e2e", "mt-trace.jsonl");
  std::remove(trace.c_str());
  SimProcess sim({"--instant", "--family", "vllm", "--trace-out", trace});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sessions-e2e", "mt.jsonl");
  std::remove(jsonl.c_str());
  constexpr int64_t kOutput = 5;
  constexpr double kGapS = 0.05;
  ProcessResult r = RunServebench(
      MultiTurnArgs(sim.base_url(), data, jsonl, 3, kOutput,
                    {"--turn-gap-ms", "50", "--max-concurrency", "2", "--output-details"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  sim.Stop();  // flushes the trace
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), 9) << last.line();
  simdjson::dom::array sessions = doc["sessions"], rounds = doc["rounds"], ids = doc["request_ids"],
                       starts = doc["start_times"], e2e = doc["e2e_latencies"],
                       input_lens = doc["input_lens_dataset"];
  ASSERT_EQ(sessions.size(), 9u);
  std::map<std::string, int64_t> server_prompt = TracePrompts(trace);
  int64_t total_input = 0;
  for (size_t i = 0; i < 9; ++i) {
    const size_t s = i / 3, round = i % 3;
    EXPECT_EQ(int64_t(sessions.at(i)), static_cast<int64_t>(s));
    EXPECT_EQ(int64_t(rounds.at(i)), static_cast<int64_t>(round));
    total_input += int64_t(input_lens.at(i));
    std::string id(std::string_view(ids.at(i)));
    ASSERT_TRUE(server_prompt.count(id)) << id;
    if (round == 0) {
      EXPECT_EQ(server_prompt[id], static_cast<int64_t>(Words(users[s][0])));
      continue;
    }
    // What serve-sim received grew by the previous reply (kOutput one-word tokens, ignore_eos)
    // and this round's user message.
    std::string previous(std::string_view(ids.at(i - 1)));
    EXPECT_EQ(server_prompt[id],
              server_prompt[previous] + kOutput + static_cast<int64_t>(Words(users[s][round])))
        << id;
    // The client's count of the round's rendered messages grows as well.
    EXPECT_GT(int64_t(input_lens.at(i)), int64_t(input_lens.at(i - 1)) + kOutput);
    // Sent no earlier than the previous round's end plus the gap.
    EXPECT_GE(double(starts.at(i)),
              double(starts.at(i - 1)) + double(e2e.at(i - 1)) + kGapS - 1e-4);
  }
  EXPECT_EQ(int64_t(doc["total_input_tokens"]), total_input);
}

TEST_F(SessionsE2eTest, SessionsNeedAChatBackend) {
  std::string data = testing::TempPath("sessions-e2e", "sharegpt-small.json");
  {
    std::ofstream out(data);
    out << R"([{"id":"a","conversations":[{"from":"human","value":"one two three four"},)"
        << R"({"from":"gpt","value":"five six seven eight"}]}])";
  }
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  ProcessResult r =
      RunServebench({"run", "--base-url", sim.base_url(), "--backend", "vllm", "--tokenizer",
                     testing::TokenizerFixture(), "--dataset-name", "sharegpt", "--dataset-path",
                     data, "--multi-turn", "--num-prompts", "1", "--output-file",
                     testing::TempPath("sessions-e2e", "nochat.jsonl"), "--disable-tqdm",
                     "--warmup-requests", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // One line naming the backend and what is needed instead.
  EXPECT_NE(r.err.find("vllm"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chat backend"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(SessionsE2eTest, MooncakeTraceTimestampsSetTheSendTimes) {
  std::string data = testing::TempPath("sessions-e2e", "mooncake.jsonl");
  {
    std::ofstream out(data);
    // Timestamps in ms; the replay is run at half the trace's time (slowdown 0.5).
    for (int ts : {0, 200, 600, 1200}) {
      out << "{\"timestamp\": " << ts
          << ", \"input_length\": 100, \"output_length\": 3, \"hash_ids\": [1, 2]}\n";
    }
  }
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("sessions-e2e", "mooncake-run.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r = RunServebench({"run",
                                   "--base-url",
                                   sim.base_url(),
                                   "--backend",
                                   "vllm-chat",
                                   "--tokenizer",
                                   testing::TokenizerFixture(),
                                   "--dataset-name",
                                   "mooncake",
                                   "--dataset-path",
                                   data,
                                   "--num-prompts",
                                   "4",
                                   "--mooncake-slowdown-factor",
                                   "0.5",
                                   "--request-rate",
                                   "100",
                                   "--output-file",
                                   jsonl,
                                   "--output-details",
                                   "--disable-tqdm",
                                   "--warmup-requests",
                                   "0",
                                   "--ready-check-timeout-sec",
                                   "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--request-rate 100 is ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("trace"), std::string::npos) << r.out;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(std::string_view(doc["request_rate"]), "trace");
  EXPECT_EQ(int64_t(doc["completed"]), 4);
  simdjson::dom::array scheduled = doc["scheduled_times"], starts = doc["start_times"];
  const std::vector<double> want = {0.0, 0.1, 0.3, 0.6};
  ASSERT_EQ(scheduled.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(double(scheduled.at(i)), want[i], 1e-9) << i;
    EXPECT_GE(double(starts.at(i)), want[i]) << i;
    EXPECT_LT(double(starts.at(i)), want[i] + 0.05) << i;
  }
}

TEST_F(SessionsE2eTest, TraceTimestampsAreRequiredOnEveryRow) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  ProcessResult r = RunServebench({"run", "--base-url", sim.base_url(), "--tokenizer",
                                   testing::TokenizerFixture(), "--dataset-name", "random-ids",
                                   "--num-prompts", "2", "--random-input-len", "8",
                                   "--random-output-len", "2", "--use-trace-timestamps",
                                   "--output-file", testing::TempPath("sessions-e2e", "nots.jsonl"),
                                   "--disable-tqdm", "--warmup-requests", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--use-trace-timestamps: row 0"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace servebench
