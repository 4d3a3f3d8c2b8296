#include "dataset/prefix_repetition_dataset.h"

#include <gtest/gtest.h>

#include <set>

#include "dataset/fake_codec.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

DatasetOptions Options(size_t n, int64_t prefixes) {
  DatasetOptions o;
  o.kind = DatasetKind::kPrefixRepetition;
  o.num_prompts = n;
  o.prefix_repetition_num_prefixes = prefixes;
  o.prefix_repetition_prefix_len = 8;
  o.prefix_repetition_suffix_len = 5;
  o.prefix_repetition_output_len = 4;
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o) {
  static FakeCodec codec;
  return BuildPrefixRepetition(o, DatasetContext{codec});
}

std::vector<int32_t> Head(const std::string& text, size_t n) {
  FakeCodec codec;
  std::vector<int32_t> ids = codec.Encode(text, false);
  ids.resize(std::min(ids.size(), n));
  return ids;
}

TEST(PrefixRepetition, PrefixesShareTheRowsEvenlyInOrder) {
  DatasetOptions o = Options(7, 3);
  o.disable_shuffle = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 7u);
  // 7 = 3 * 2 + 1: prefix 0 gets 3 rows, prefixes 1 and 2 get 2.
  std::vector<size_t> group = {0, 0, 0, 1, 1, 2, 2};
  FakeCodec codec;
  for (size_t i = 0; i < 7; ++i) {
    const WorkloadRow& row = built->rows[i];
    EXPECT_EQ(row.output_len, 4);
    EXPECT_EQ(row.prompt_len, static_cast<int64_t>(codec.Encode(row.prompt_text, false).size()));
    // Prefix and suffix are each 8 and 5 tokens; joining may merge one pair at the seam.
    EXPECT_GE(row.prompt_len, 12);
    EXPECT_LE(row.prompt_len, 13);
    size_t first = i == 0 ? 0 : (group[i] == group[i - 1] ? i - 1 : i);
    EXPECT_EQ(Head(row.prompt_text, 7), Head(built->rows[first].prompt_text, 7)) << i;
  }
  EXPECT_NE(Head(built->rows[0].prompt_text, 7), Head(built->rows[3].prompt_text, 7));
  EXPECT_NE(Head(built->rows[3].prompt_text, 7), Head(built->rows[5].prompt_text, 7));
  EXPECT_NE(built->rows[0].prompt_text, built->rows[1].prompt_text);  // own suffixes
}

TEST(PrefixRepetition, ShuffledByDefaultAndReproducible) {
  DatasetOptions ordered = Options(12, 4);
  ordered.disable_shuffle = true;
  auto a = Build(ordered);
  auto b = Build(Options(12, 4));
  auto c = Build(Options(12, 4));
  ASSERT_TRUE(a && b && c);
  std::multiset<std::string> x, y;
  for (size_t i = 0; i < 12; ++i) {
    x.insert(a->rows[i].prompt_text);
    y.insert(b->rows[i].prompt_text);
    EXPECT_EQ(b->rows[i].prompt_text, c->rows[i].prompt_text);
  }
  EXPECT_EQ(x, y);
}

TEST(PrefixRepetition, RejectsTooFewPromptsAndBadFlags) {
  EXPECT_EQ(Build(Options(2, 3)).error().message,
            "--num-prompts 2: prefix_repetition needs at least one request per prefix "
            "(--prefix-repetition-num-prefixes 3)");
  DatasetOptions o = Options(4, 2);
  o.prefix_repetition_suffix_len = -1;
  EXPECT_EQ(Build(o).error().message, "--prefix-repetition-suffix-len: expected >= 0, got -1");
  o = Options(4, 0);
  EXPECT_EQ(Build(o).error().message, "--prefix-repetition-num-prefixes: expected >= 1, got 0");
  o = Options(4, 2);
  o.path = "poem.txt";
  EXPECT_EQ(Build(o).error().message, "--dataset-path: prefix_repetition takes no file");
}

}  // namespace
}  // namespace servebench::dataset
