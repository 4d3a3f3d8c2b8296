#include "dataset/random_dataset.h"

#include <gtest/gtest.h>

#include "dataset/fake_codec.h"
#include "dataset/synthetic_text.h"
#include "load/random_stream.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

RandomOptions Fixed(size_t n, int64_t input, int64_t output) {
  RandomOptions o;
  o.num_prompts = n;
  o.lengths.input_len = input;
  o.lengths.output_len = output;
  o.lengths.ratio = {1.0, 1.0};  // sglang semantics: fixed lengths
  return o;
}

TEST(RandomIds, IdsFollowTheOffsetFormula) {
  FakeCodec codec;
  RandomOptions o = Fixed(4, 6, 3);
  o.tokenize_prompt = true;
  auto built = BuildRandomIds(o, codec, 42);
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->rows.size(), 4u);
  // Replay the draws: 4 input lengths, 4 output lengths, then 4 offsets in [0, V).
  load::RandomStream replay(42, load::kDatasetStream);
  for (int k = 0; k < 8; ++k)
    replay.Next();
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  for (size_t i = 0; i < 4; ++i) {
    int64_t offset = replay.UniformInt(0, 29);
    const WorkloadRow& row = built->rows[i];
    EXPECT_EQ(row.prompt_len, 6);  // ids are sent as is: no reservation
    EXPECT_EQ(row.output_len, 3);
    ASSERT_EQ(row.prompt_ids.size(), 6u);
    for (size_t j = 0; j < 6; ++j) {
      EXPECT_EQ(row.prompt_ids[j], allowed[(offset + i + j) % allowed.size()]) << i << "," << j;
    }
  }
}

TEST(RandomIds, TextRowsAreFittedToTheReservedLength) {
  FakeCodec codec;
  auto built = BuildRandomIds(Fixed(50, 8, 4), codec, 3);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->off_target, 0u);
  for (const WorkloadRow& row : built->rows) {
    EXPECT_EQ(row.prompt_len, 7);  // 8 minus the tokenizer's one special token
    EXPECT_EQ(static_cast<int64_t>(codec.Encode(row.prompt_text, false).size()), row.prompt_len);
    EXPECT_TRUE(row.prompt_ids.empty());
  }
}

TEST(RandomIds, SharedPrefixRawVocabularyAndReproducibility) {
  FakeCodec codec;
  RandomOptions o = Fixed(5, 4, 2);
  o.tokenize_prompt = true;
  o.prefix_len = 3;
  auto a = BuildRandomIds(o, codec, 9);
  auto b = BuildRandomIds(o, codec, 9);
  auto c = BuildRandomIds(o, codec, 10);
  ASSERT_TRUE(a && b && c);
  for (const WorkloadRow& row : a->rows) {
    EXPECT_EQ(row.prompt_len, 7);
    EXPECT_EQ(
        std::vector<int32_t>(row.prompt_ids.begin(), row.prompt_ids.begin() + 3),
        std::vector<int32_t>(a->rows[0].prompt_ids.begin(), a->rows[0].prompt_ids.begin() + 3));
  }
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(a->rows[i].prompt_ids, b->rows[i].prompt_ids);
  bool differs = false;
  for (size_t i = 0; i < 5; ++i)
    differs = differs || a->rows[i].prompt_ids != c->rows[i].prompt_ids;
  EXPECT_TRUE(differs);

  RandomOptions raw = Fixed(200, 30, 1);
  raw.tokenize_prompt = true;
  raw.raw_vocabulary = true;
  auto r = BuildRandomIds(raw, codec, 1);
  ASSERT_TRUE(r.has_value());
  bool saw_special = false;
  for (const WorkloadRow& row : r->rows) {
    for (int32_t id : row.prompt_ids)
      saw_special = saw_special || codec.IsSpecial(id);
  }
  EXPECT_TRUE(saw_special);
}

TEST(RandomIds, CompatWithoutFitReportsTheTarget) {
  FakeCodec codec;
  RandomOptions o = Fixed(20, 8, 4);
  o.fit = FitRule::kNone;
  auto built = BuildRandomIds(o, codec, 5);
  ASSERT_TRUE(built.has_value());
  bool some_differ = false;
  for (const WorkloadRow& row : built->rows) {
    EXPECT_EQ(row.prompt_len, 7);
    some_differ =
        some_differ || static_cast<int64_t>(codec.Encode(row.prompt_text, false).size()) != 7;
  }
  EXPECT_TRUE(some_differ);  // "ab"/"cd" merges change the count: the target is reported anyway
}

TEST(RandomIds, VllmFitExtendsWithVocabularyDraws) {
  FakeCodec codec;
  RandomOptions o = Fixed(30, 8, 4);
  o.fit = FitRule::kVllm;
  auto built = BuildRandomIds(o, codec, 5);
  ASSERT_TRUE(built.has_value());
  for (const WorkloadRow& row : built->rows) {
    EXPECT_EQ(static_cast<int64_t>(codec.Encode(row.prompt_text, false).size()), row.prompt_len);
  }
}

TEST(Random, CutsAndRepeatsSourcePromptsInFileOrderWithoutShuffle) {
  FakeCodec codec;
  RandomOptions o = Fixed(3, 5, 2);
  o.tokenize_prompt = true;
  o.disable_shuffle = true;
  std::vector<std::string> sources{"abc", "!!", "zz", "abcdefgh"};
  auto built = BuildRandom(o, codec, sources, 42);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->dropped_empty, 1u);  // "!!" encodes to nothing
  ASSERT_EQ(built->rows.size(), 3u);
  EXPECT_EQ(built->rows[0].prompt_ids, (std::vector<int32_t>{28, 4, 28, 4, 28}));  // ab c ab c ab
  EXPECT_EQ(built->rows[1].prompt_ids, (std::vector<int32_t>(5, 27)));             // z repeated
  EXPECT_EQ(built->rows[2].prompt_ids, (std::vector<int32_t>{28, 29, 6, 7, 8}));   // ab cd e f g
}

TEST(Random, TextRowsFitAndShuffleIsSeeded) {
  FakeCodec codec;
  RandomOptions o = Fixed(3, 5, 2);
  std::vector<std::string> sources{"abc", "zz", "abcdefgh", "hij"};
  auto a = BuildRandom(o, codec, sources, 42);
  auto b = BuildRandom(o, codec, sources, 42);
  ASSERT_TRUE(a && b);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a->rows[i].prompt_text, b->rows[i].prompt_text);
    EXPECT_EQ(a->rows[i].prompt_len, 4);
    EXPECT_EQ(static_cast<int64_t>(codec.Encode(a->rows[i].prompt_text, false).size()), 4);
  }
}

TEST(Random, FewerSourcesThanRowsAndNoUsableSource) {
  FakeCodec codec;
  std::vector<std::string> one{"abc"};
  auto built = BuildRandom(Fixed(5, 3, 1), codec, one, 1);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->rows.size(), 1u);
  std::vector<std::string> empty{"!!", "?"};
  auto none = BuildRandom(Fixed(5, 3, 1), codec, empty, 1);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no usable source prompts (2 read, 2 encode to 0 tokens)"),
            std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset
