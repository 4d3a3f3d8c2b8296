#include "dataset/mooncake_dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dataset/fake_codec.h"
#include "dataset/fake_renderer.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;
using testing::FakeRenderer;

std::string WriteTrace(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

DatasetOptions Trace(const std::string& path, size_t n) {
  DatasetOptions o;
  o.kind = DatasetKind::kMooncake;
  o.path = path;
  o.num_prompts = n;
  o.mooncake_block_size = 2;
  o.backend = "openai-chat";
  o.chat_backend = true;
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o, bool with_template = true) {
  static FakeCodec codec;
  static FakeRenderer chat_template;
  SourceSettings settings;
  settings.offline = true;
  settings.servebench_cache = ::testing::TempDir() + "/mooncake-cache";
  return BuildMooncake(o, DatasetContext{codec, with_template ? &chat_template : nullptr},
                       settings);
}

constexpr std::string_view kPrompt = "7hi hi12hi hiTell me a story based on this context.";

TEST(Mooncake, HashIdsBecomeBlocksAndRowsCarryTheTraceTime) {
  std::string path = WriteTrace(
      "trace1.jsonl",
      R"({"timestamp": 0, "input_length": 6758, "output_length": 5, "hash_ids": [7, 12]})"
      "\n\n"
      R"({"timestamp": 1500.5, "input_length": 1, "hash_ids": []})"
      "\n"
      R"({"timestamp": 2000, "output_length": 3, "hash_ids": [1]})"
      "\n");
  auto built = Build(Trace(path, 2));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);  // the first N lines are the sessions
  const WorkloadRow& first = built->rows[0];
  ASSERT_EQ(first.messages.size(), 1u);
  EXPECT_EQ(first.messages[0].role, "user");
  EXPECT_EQ(first.messages[0].content, "Round 1: " + std::string(kPrompt));
  EXPECT_EQ(first.output_len, 5);
  EXPECT_EQ(first.timestamp_ms, 0.0);
  // prompt_len: count with specials of the template's rendering (BOS text removed).
  FakeCodec codec;
  std::string rendered = "[user]Round 1: " + std::string(kPrompt) + "[assistant]";
  EXPECT_EQ(first.prompt_len, static_cast<int64_t>(codec.Encode(rendered, true).size()));
  EXPECT_EQ(first.warmup_prompt.substr(0, 6), "7hi hi");
  // "7" and "12", each followed by 512 "hi" (1535 characters), then the question.
  EXPECT_EQ(first.warmup_prompt.size(),
            1 + 1535 + 2 + 1535 +
                std::string_view("Can you tell me a detailed story in 1000 words?").size());
  const WorkloadRow& second = built->rows[1];
  EXPECT_EQ(second.output_len, 256);  // absent output_length
  EXPECT_EQ(second.timestamp_ms, 1500.5);
  EXPECT_EQ(second.messages[0].content, "Round 1: Tell me a story based on this context.");
  EXPECT_TRUE(second.warmup_prompt.empty());
  EXPECT_EQ(built->report.read, 2u);
}

TEST(Mooncake, RoundsCarryPlaceholderHistoryAndShareTheSessionTime) {
  std::string path =
      WriteTrace("trace2.jsonl", R"({"timestamp": 40, "output_length": 3, "hash_ids": [7, 12]})"
                                 "\n");
  DatasetOptions o = Trace(path, 5);
  o.mooncake_num_rounds = 3;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->rows.size(), 3u);
  const WorkloadRow& third = built->rows[2];
  ASSERT_EQ(third.messages.size(), 5u);
  EXPECT_EQ(third.messages[1].role, "assistant");
  EXPECT_EQ(third.messages[1].content, "story story story");
  EXPECT_EQ(third.messages[2].content, "Round 2: " + std::string(kPrompt));
  EXPECT_EQ(third.messages[4].content, "Round 3: " + std::string(kPrompt));
  for (const WorkloadRow& row : built->rows)
    EXPECT_EQ(row.timestamp_ms, 40.0);
  EXPECT_LT(built->rows[0].prompt_len, built->rows[2].prompt_len);
  EXPECT_EQ(built->report.requested, 15u);  // 5 sessions asked, 3 rounds each
}

TEST(Mooncake, CompletionBackendsGetTheRenderingOrJoinedLines) {
  std::string path =
      WriteTrace("trace3.jsonl", R"({"timestamp": 0, "output_length": 1, "hash_ids": [7, 12]})"
                                 "\n");
  DatasetOptions o = Trace(path, 1);
  o.backend = "vllm";
  o.chat_backend = false;
  o.mooncake_num_rounds = 2;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  EXPECT_TRUE(built->rows[0].messages.empty());
  EXPECT_EQ(built->rows[0].prompt_text, "[user]Round 1: " + std::string(kPrompt) + "[assistant]");
  auto plain = Build(o, false);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->rows[1].prompt_text,
            "user: Round 1: " + std::string(kPrompt) +
                "\nassistant: story\nuser: Round 2: " + std::string(kPrompt));
}

TEST(Mooncake, TimestampsGoingBackwardsAreSortedAndReported) {
  std::string path =
      WriteTrace("trace4.jsonl", R"({"timestamp": 100, "output_length": 1, "hash_ids": [1]})"
                                 "\n"
                                 R"({"timestamp": 50, "output_length": 2, "hash_ids": [2]})"
                                 "\n"
                                 R"({"timestamp": 100, "output_length": 3, "hash_ids": [3]})"
                                 "\n");
  auto built = Build(Trace(path, 10));
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->rows.size(), 3u);
  EXPECT_EQ(built->rows[0].output_len, 2);
  EXPECT_EQ(built->rows[1].output_len, 1);  // stable: equal times keep file order
  EXPECT_EQ(built->rows[2].output_len, 3);
  ASSERT_EQ(built->report.warnings.size(), 1u);
  EXPECT_EQ(built->report.warnings[0].rfind(path + ":2: timestamps go backwards", 0), 0u);
  EXPECT_EQ(built->rows[0].warmup_prompt.substr(0, 3), "2hi");
}

TEST(Mooncake, BadLinesNameFileAndLine) {
  std::string good = R"({"timestamp": 0, "hash_ids": [1]})";
  auto error = [&](const std::string& name, const std::string& text) {
    auto built = Build(Trace(WriteTrace(name, text), 10));
    return built ? std::string() : built.error().message;
  };
  std::string dir = ::testing::TempDir() + "/";
  EXPECT_EQ(error("bad1.jsonl", good + "\n{\"timestamp\": 1, \"hash_ids\": [1\n")
                .rfind(dir + "bad1.jsonl:2: expected a JSON object (", 0),
            0u);
  EXPECT_EQ(error("bad2.jsonl", "[1, 2]\n"), dir + "bad2.jsonl:1: expected a JSON object");
  EXPECT_EQ(error("bad3.jsonl", R"({"timestamp": 0, "hash_ids": ["a"]})"),
            dir + "bad3.jsonl:1: field hash_ids: expected an array of non-negative integers");
  EXPECT_EQ(error("bad4.jsonl", R"({"timestamp": "soon", "hash_ids": []})"),
            dir + "bad4.jsonl:1: field timestamp: expected a number of milliseconds");
  EXPECT_EQ(error("bad5.jsonl", R"({"hash_ids": []})"),
            dir + "bad5.jsonl:1: field timestamp: missing");
  EXPECT_EQ(error("bad6.jsonl", R"({"timestamp": 0, "output_length": 0, "hash_ids": []})"),
            dir + "bad6.jsonl:1: field output_length: expected an integer >= 1");
  // --skip-invalid-lines skips and counts.
  DatasetOptions o = Trace(WriteTrace("bad7.jsonl", good + "\nnot json\n" + good + "\n"), 10);
  o.skip_invalid_lines = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->rows.size(), 2u);
  EXPECT_EQ(built->report.DropSummary(), "1 invalid lines");
}

TEST(Mooncake, MissingFilesAndBadFlags) {
  DatasetOptions o = Trace(::testing::TempDir() + "/absent.jsonl", 1);
  EXPECT_EQ(Build(o).error().message, "--dataset-path " + o.path + ": cannot be read");
  o.path.clear();
  o.mooncake_workload = "synthetic";
  ASSERT_FALSE(std::filesystem::exists("/tmp/synthetic_trace.jsonl"));
  std::string offline = Build(o).error().message;
  EXPECT_NE(offline.find("/tmp/synthetic_trace.jsonl"), std::string::npos) << offline;
  EXPECT_NE(offline.find("FAST25-release/traces/synthetic_trace.jsonl"), std::string::npos);
  auto error = [](DatasetOptions x) { return Build(x).error().message; };
  o = Trace("x", 1);
  o.mooncake_workload = "chat";
  EXPECT_EQ(error(o),
            "--mooncake-workload: expected mooncake, conversation, synthetic or toolagent, got "
            "'chat'");
  o = Trace("x", 1);
  o.mooncake_block_size = 0;
  EXPECT_EQ(error(o), "--mooncake-block-size: expected >= 1, got 0");
  o = Trace("x", 1);
  o.mooncake_num_rounds = 0;
  EXPECT_EQ(error(o), "--mooncake-num-rounds: expected >= 1, got 0");
  EXPECT_EQ(*MooncakeTraceUrl("mooncake"),
            "https://raw.githubusercontent.com/kvcache-ai/Mooncake/main/FAST25-release/"
            "arxiv-trace/mooncake_trace.jsonl");
}

}  // namespace
}  // namespace servebench::dataset
