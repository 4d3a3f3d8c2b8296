// ShareGPT files on disk (written by each test) through BuildDataset, with the fake tokenizer:
// a prompt of k letters counts k + 1 tokens with specials.
#include "dataset/sharegpt_dataset.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dataset/fake_codec.h"
#include "dataset/fake_renderer.h"
#include "load/random_stream.h"

namespace servebench::dataset {
namespace {

namespace fs = std::filesystem;
using testing::FakeCodec;
using testing::FakeRenderer;

class ShareGpt : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("sharegpt-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // One conversation per (prompt, reply) with the ShareGPT turn shape.
  std::string WritePairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string json = "[";
    for (size_t i = 0; i < pairs.size(); ++i) {
      json += fmt::format(
          "{}{{\"id\":\"c{}\",\"conversations\":[{{\"from\":\"human\",\"value\":\"{}\"}},"
          "{{\"from\":\"gpt\",\"value\":\"{}\"}}]}}",
          i ? "," : "", i, pairs[i].first, pairs[i].second);
    }
    return Write("pairs.json", json + "]");
  }
  DatasetOptions Options(const std::string& path, size_t n) {
    DatasetOptions o;
    o.kind = DatasetKind::kShareGpt;
    o.path = path;
    o.num_prompts = n;
    o.disable_shuffle = true;
    return o;
  }
  Expected<DatasetResult> Build(const DatasetOptions& o) {
    return BuildDataset(o, {codec_, &renderer_});
  }

  fs::path dir_;
  FakeCodec codec_;
  FakeRenderer renderer_;
};

TEST_F(ShareGpt, PairsCountPromptAndCompletionWithSpecials) {
  auto built = Build(Options(WritePairs({{"hello", "world wide"}, {"xyz", "qq"}}), 2));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);
  EXPECT_EQ(built->rows[0].prompt_text, "hello");
  EXPECT_EQ(built->rows[0].prompt_len, 6);
  EXPECT_EQ(built->rows[0].output_len, 10);  // "worldwide": 9 letters + BOS
  EXPECT_EQ(built->rows[1].prompt_text, "xyz");
  EXPECT_EQ(built->rows[1].output_len, 3);
  EXPECT_EQ(built->report.read, 2u);
  EXPECT_TRUE(built->report.warnings.empty());
}

TEST_F(ShareGpt, DefaultFiltersDropShortPairsAndCountThem) {
  // "" counts 1 (BOS only): below 2. The third pair is dropped by the context length.
  std::string path =
      WritePairs({{"", "reply"}, {"ok", ""}, {"long prompt", "long reply"}, {"fine", "good"}});
  DatasetOptions o = Options(path, 4);
  o.sharegpt_context_len = 15;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 1u);
  EXPECT_EQ(built->rows[0].prompt_text, "fine");
  EXPECT_EQ(built->report.DropSummary(),
            "1 prompt_len < 2, 1 output_len < 2, 1 prompt_len + output_len > "
            "--sharegpt-context-len 15");
  ASSERT_EQ(built->report.warnings.size(), 1u);
  EXPECT_NE(built->report.warnings[0].find("only 1 usable rows for --num-prompts 4"),
            std::string::npos);
}

TEST_F(ShareGpt, CompatFiltersFollowTheirPeers) {
  // FakeCodec merges "ab": "abc" counts 3 with BOS, kept by the default rule (>= 2), dropped by
  // LMDeploy's and vLLM's (< 4).
  DatasetOptions o = Options(WritePairs({{"abc", "hello"}, {"hello", "world"}}), 2);
  auto plain = Build(o);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->rows.size(), 2u);
  o.compat = Compat::kLmdeploy;
  auto lmdeploy = Build(o);
  ASSERT_TRUE(lmdeploy.has_value());
  ASSERT_EQ(lmdeploy->rows.size(), 1u);
  EXPECT_EQ(lmdeploy->report.DropSummary(), "1 prompt_len < 4");

  // A fixed output length skips vLLM's output < 4 rule, but not SGLang's output < 2.
  o = Options(WritePairs({{"hello", "x"}}), 1);
  o.sharegpt_output_len = 1;
  o.compat = Compat::kVllm;
  auto vllm = Build(o);
  ASSERT_TRUE(vllm.has_value()) << vllm.error().message;
  EXPECT_EQ(vllm->rows[0].output_len, 1);
  o.compat = Compat::kNone;
  auto none = Build(o);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("1 output_len < 2"), std::string::npos);
}

TEST_F(ShareGpt, NoUsableRowIsAnErrorWithCountsPerFilter) {
  auto built = Build(Options(WritePairs({{"", "x"}, {"", "y"}}), 5));
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message.find("no usable rows"), std::string::npos);
  EXPECT_NE(built.error().message.find("read 2"), std::string::npos);
  EXPECT_NE(built.error().message.find("2 prompt_len < 2"), std::string::npos);
}

TEST_F(ShareGpt, SuffixThenTemplateWithoutBos) {
  DatasetOptions o = Options(WritePairs({{"hi Assistant:", "hello there"}}), 1);
  o.prompt_suffix = " now ";
  o.apply_chat_template = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->rows[0].prompt_text, "[user]hi  now Assistant:[assistant]");
}

TEST_F(ShareGpt, FixedOutputLengthAndTokenizedPrompt) {
  DatasetOptions o = Options(WritePairs({{"hello", "x"}}), 1);
  o.sharegpt_output_len = 7;
  o.tokenize_prompt = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->rows[0].output_len, 7);
  EXPECT_EQ(built->rows[0].prompt_ids, codec_.Encode("hello", true));
  EXPECT_TRUE(built->rows[0].prompt_text.empty());
}

TEST_F(ShareGpt, ShuffleIsSeededAndMatchesTheWalkOverEveryPair) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 300; ++i) {
    // Every third prompt is too short, so the walk must skip some.
    std::string prompt = i % 3 == 0 ? "" : std::string(static_cast<size_t>(1 + i % 7), 'e');
    pairs.emplace_back(prompt + fmt::format("q{}", i % 10 == 0 ? "" : "z"), "reply");
  }
  std::string path = WritePairs(pairs);
  DatasetOptions o = Options(path, 40);
  o.disable_shuffle = false;
  auto a = Build(o);
  auto b = Build(o);
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_EQ(a->rows.size(), 40u);
  // The reference: shuffle every pair the same way, filter them all, take the first 40.
  std::vector<size_t> order(pairs.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  load::RandomStream stream(o.seed, load::kDatasetStream);
  stream.Shuffle(std::span<size_t>(order));
  std::vector<std::string> expected;
  for (size_t i : order) {
    size_t p = codec_.Encode(pairs[i].first, true).size();
    if (p >= 2 && expected.size() < 40) expected.push_back(pairs[i].first);
  }
  for (size_t k = 0; k < 40; ++k) {
    EXPECT_EQ(a->rows[k].prompt_text, expected[k]) << k;
    EXPECT_EQ(b->rows[k].prompt_text, expected[k]) << k;
  }
  o.seed = 7;
  auto c = Build(o);
  ASSERT_TRUE(c.has_value());
  size_t same = 0;
  for (size_t k = 0; k < 40; ++k)
    same += c->rows[k].prompt_text == a->rows[k].prompt_text;
  EXPECT_LT(same, 40u);
}

TEST_F(ShareGpt, OversampleFillsUpToTheRequestedCount) {
  DatasetOptions o = Options(WritePairs({{"hello", "world"}, {"again", "more"}}), 9);
  o.oversample = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->rows.size(), 9u);
  EXPECT_EQ(built->report.oversampled, 7u);
  for (const WorkloadRow& row : built->rows)
    EXPECT_TRUE(row.prompt_text == "hello" || row.prompt_text == "again");
}

TEST_F(ShareGpt, ConversationsWithBadTurnsAreDroppedAndCounted) {
  std::string path = Write("mixed.json",
                           R"([{"conversations":[{"value":"hello"},{"value":"world"}]},
          {"conversations":[{"value":"only one"}]},
          {"conversations":[{"value":5},{"value":"x"}]},
          {"conversations":[{"from":"human"},{"value":"x"}]},
          {"conversation":[{"value":"second key"},{"value":"works"}]},
          {"turns":[]},
          "not an object",
          {"conversations":["nope", {"value":"x"}]}])");
  auto built = Build(Options(path, 10));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);
  EXPECT_EQ(built->rows[1].prompt_text, "second key");
  EXPECT_EQ(built->report.read, 8u);
  EXPECT_EQ(built->report.DropSummary(),
            "1 with a non-string turn text, 1 with a turn without text, 1 without a "
            "conversations array, 1 not an object, 1 with a turn that is not an object, 1 with "
            "fewer than 2 turns");
}

TEST_F(ShareGpt, BrokenFilesAreErrorsNamingThePath) {
  struct Case {
    std::string text, expected;
  };
  for (const Case& c : std::vector<Case>{
           {R"([{"conversations":[{"value":"hello"},{"value":"wor)", "not valid JSON"},
           {R"({"conversations":[]})", "expected a JSON array of conversations"},
           {R"([{"conversations":[{"value":"a"},{"value":"b"}]}] [])", "unexpected content"},
           {R"([{"conversations":[{"value":"hello"},{"value":"world"}]},)", "truncated"},
           {"", "empty file"},
       }) {
    std::string path = Write("broken.json", c.text);
    auto built = Build(Options(path, 1));
    ASSERT_FALSE(built.has_value()) << c.text;
    EXPECT_NE(built.error().message.find("--dataset-path " + path), std::string::npos)
        << built.error().message;
    EXPECT_NE(built.error().message.find(c.expected), std::string::npos) << built.error().message;
  }
  auto missing = Build(Options((dir_ / "absent.json").string(), 1));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
}

TEST_F(ShareGpt, MultiTurnRowsCarryRounds) {
  std::string path = Write("multi.json", R"([{"conversations":[
      {"value":"one"},{"value":"uno"},{"value":"two"},{"value":"dos"},{"value":"three"}]}])");
  DatasetOptions o = Options(path, 1);
  o.multi_turn = true;
  o.chat_backend = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows[0].rounds.size(), 2u);  // the last user turn has no reply
  EXPECT_EQ(built->rows[0].rounds[0].user_text, "one");
  EXPECT_EQ(built->rows[0].rounds[0].dataset_reply, "uno");
  EXPECT_EQ(built->rows[0].rounds[0].output_len, 4);
  EXPECT_EQ(built->rows[0].rounds[1].user_text, "two");
  EXPECT_EQ(built->rows[0].rounds[1].output_len, 4);
  o.sharegpt_output_len = 9;  // every round then asks for the fixed length
  auto fixed = Build(o);
  ASSERT_TRUE(fixed.has_value()) << fixed.error().message;
  ASSERT_EQ(fixed->rows[0].rounds.size(), 2u);
  EXPECT_EQ(fixed->rows[0].rounds[0].output_len, 9);
  EXPECT_EQ(fixed->rows[0].rounds[1].output_len, 9);
  o.sharegpt_output_len.reset();
  o.max_turns = 1;
  auto capped = Build(o);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(capped->rows[0].rounds.size(), 1u);
  o.chat_backend = false;
  o.backend = "sglang";
  auto refused = Build(o);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("--multi-turn: backend sglang"), std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset
