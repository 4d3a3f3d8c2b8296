#include "dataset/gsp_dataset.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "dataset/fake_codec.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

DatasetOptions Small() {
  DatasetOptions o;
  o.kind = DatasetKind::kGeneratedSharedPrefix;
  o.gsp_num_groups = 3;
  o.gsp_prompts_per_group = 4;
  o.gsp_system_prompt_len = 12;
  o.gsp_question_len = 5;
  o.gsp_output_len = 7;
  o.chat_backend = true;
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o, uint64_t seed, const std::string& key = "") {
  static FakeCodec codec;
  DatasetOptions x = o;
  x.seed = seed;
  return BuildGeneratedSharedPrefix(x, DatasetContext{codec}, key);
}

TEST(Gsp, GroupsShareTheirSystemPromptAndLengthsAreFixedByDefault) {
  FakeCodec codec;
  DatasetOptions o = Small();
  o.gsp_ordered = true;
  auto built = Build(o, 42);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 12u);
  EXPECT_EQ(built->report.off_target, 0u);
  std::set<std::string> systems;
  for (size_t k = 0; k < 12; ++k) {
    const WorkloadRow& row = built->rows[k];
    EXPECT_EQ(row.system_prompt, built->rows[k / 4 * 4].system_prompt) << k;
    systems.insert(row.system_prompt);
    EXPECT_EQ(codec.Encode(row.system_prompt, false).size(), 12u);
    ASSERT_EQ(row.prompt_text.substr(0, row.system_prompt.size() + 2), row.system_prompt + "\n\n");
    std::string question = row.prompt_text.substr(row.system_prompt.size() + 2);
    EXPECT_EQ(codec.Encode(question, false).size(), 5u);
    // Count with specials of the whole first-turn text (the fake drops "\n").
    EXPECT_EQ(row.prompt_len, static_cast<int64_t>(codec.Encode(row.prompt_text, true).size()));
    EXPECT_EQ(row.output_len, 7);
    EXPECT_TRUE(row.routing_key.empty());
    EXPECT_TRUE(row.rounds.empty());
  }
  EXPECT_EQ(systems.size(), 3u);
}

TEST(Gsp, ShuffledUnlessOrderedAndReproducible) {
  DatasetOptions o = Small();
  DatasetOptions in_order = o;
  in_order.gsp_ordered = true;
  auto ordered = Build(in_order, 5);
  auto a = Build(o, 5);
  auto b = Build(o, 5);
  ASSERT_TRUE(ordered && a && b);
  std::multiset<std::string> x, y;
  bool moved = false;
  for (size_t k = 0; k < 12; ++k) {
    EXPECT_EQ(a->rows[k].prompt_text, b->rows[k].prompt_text);
    x.insert(ordered->rows[k].prompt_text);
    y.insert(a->rows[k].prompt_text);
    moved = moved || ordered->rows[k].prompt_text != a->rows[k].prompt_text;
  }
  EXPECT_EQ(x, y);  // the same rows, in another order
  EXPECT_TRUE(moved);
}

TEST(Gsp, RangeRatioDrawsWithinBounds) {
  FakeCodec codec;
  DatasetOptions o = Small();
  o.gsp_num_groups = 8;
  o.gsp_prompts_per_group = 10;
  o.gsp_range_ratio = 0.5;
  o.gsp_ordered = true;
  auto built = Build(o, 1);
  ASSERT_TRUE(built.has_value());
  std::set<int64_t> outputs;
  for (const WorkloadRow& row : built->rows) {
    EXPECT_GE(row.output_len, 3);  // [max(floor(7 * 0.5), 1), 7]
    EXPECT_LE(row.output_len, 7);
    outputs.insert(row.output_len);
    size_t system = codec.Encode(row.system_prompt, false).size();
    EXPECT_GE(system, 6u);
    EXPECT_LE(system, 12u);
  }
  EXPECT_GT(outputs.size(), 2u);
}

TEST(Gsp, ZipfMakesGroupZeroTheHottest) {
  DatasetOptions o = Small();
  o.gsp_num_groups = 4;
  o.gsp_prompts_per_group = 100;
  o.gsp_system_prompt_len = 6;
  o.gsp_group_distribution = "zipf";
  o.gsp_zipf_alpha = 2.0;
  o.gsp_send_routing_key = true;
  auto built = Build(o, 3, "0badcafe_20261124042800");
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->rows.size(), 400u);
  std::map<std::string, int> per_key;
  for (const WorkloadRow& row : built->rows)
    ++per_key[row.routing_key];
  // Weights 1, 1/4, 1/9, 1/16 of 1.42: about 281, 70, 31, 18 rows.
  EXPECT_GT(per_key["0badcafe_20261124042800_0"], 230);
  EXPECT_GT(per_key["0badcafe_20261124042800_0"], per_key["0badcafe_20261124042800_1"]);
  EXPECT_GT(per_key["0badcafe_20261124042800_1"], per_key["0badcafe_20261124042800_3"]);
  EXPECT_EQ(per_key.size(), 4u);
}

TEST(Gsp, TurnsMakeRoundsAndFastPrepareWarns) {
  DatasetOptions o = Small();
  o.gsp_num_turns = 3;
  o.gsp_fast_prepare = true;
  auto built = Build(o, 8);
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->report.warnings.size(), 1u);
  for (const WorkloadRow& row : built->rows) {
    EXPECT_TRUE(row.prompt_text.empty());
    ASSERT_EQ(row.rounds.size(), 3u);
    EXPECT_EQ(row.rounds[0].user_text.rfind(row.system_prompt + "\n\n", 0), 0u);
    EXPECT_EQ(row.rounds[1].user_text.find(row.system_prompt), std::string::npos);
    EXPECT_EQ(row.rounds[2].output_len, 7);
    EXPECT_EQ(row.prompt_len, 1);
  }
}

TEST(Gsp, RejectsBadOptions) {
  auto error = [](DatasetOptions o) {
    auto built = Build(o, 1);
    return built ? std::string() : built.error().message;
  };
  DatasetOptions o = Small();
  o.gsp_group_distribution = "zipf";
  EXPECT_EQ(error(o), "--gsp-zipf-alpha: required with --gsp-group-distribution zipf");
  o.gsp_zipf_alpha = 0;
  EXPECT_NE(error(o).find("--gsp-zipf-alpha: expected a finite number > 0"), std::string::npos);
  o = Small();
  o.gsp_num_groups = 0;
  EXPECT_EQ(error(o), "--gsp-num-groups: expected >= 1, got 0");
  o = Small();
  o.gsp_question_len = -1;
  EXPECT_EQ(error(o), "--gsp-question-len: expected >= 0, got -1");
  o = Small();
  o.gsp_range_ratio = 1.0;
  o.lengths.semantics = RangeSemantics::kVllm;
  EXPECT_NE(error(o).find("--gsp-range-ratio: expected a number in [0, 1)"), std::string::npos);
  o = Small();
  o.gsp_group_distribution = "pareto";
  EXPECT_EQ(error(o), "--gsp-group-distribution: expected uniform or zipf, got 'pareto'");
  o = Small();
  o.gsp_num_turns = 2;
  o.chat_backend = false;
  o.backend = "sglang";
  EXPECT_NE(error(o).find("--gsp-num-turns 2: multi-turn sessions need a chat backend"),
            std::string::npos);
  o = Small();
  o.tokenize_prompt = true;
  EXPECT_NE(error(o).find("--tokenize-prompt"), std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset
