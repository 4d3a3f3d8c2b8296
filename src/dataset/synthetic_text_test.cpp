#include "dataset/synthetic_text.h"

#include <gtest/gtest.h>

#include "dataset/fake_codec.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

TEST(SyntheticText, SpecialTokensAndVocabulary) {
  FakeCodec codec;
  EXPECT_EQ(SpecialTokensPerSequence(codec), 1u);
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  ASSERT_EQ(allowed.size(), 28u);
  EXPECT_EQ(allowed.front(), 2);
  EXPECT_EQ(allowed.back(), 29);
  EXPECT_EQ(AllowedVocabulary(codec, true).size(), 30u);
}

TEST(FitToLength, ExtendsFromTheSequenceWhenDecodingMerges) {
  FakeCodec codec;
  // "a","b" decodes to "ab", which re-encodes as one token: one id short, so the fit appends
  // the next id of the sequence ("c") and gets "abc" = "ab","c".
  int calls = 0;
  FittedText fitted = FitToLength(codec, {2, 3}, 2, [&] {
    ++calls;
    return 4;
  });
  EXPECT_TRUE(fitted.on_target);
  EXPECT_EQ(fitted.text, "abc");
  EXPECT_EQ(fitted.prompt_len, 2);
  EXPECT_EQ(calls, 1);
}

TEST(FitToLength, ReportsRowsStillOffTargetAfterTenRounds) {
  FakeCodec codec;
  // Ids that decode to nothing never fill the gap.
  FittedText fitted = FitToLength(codec, {2, 3, 2}, 3, [] { return 1000; });
  EXPECT_FALSE(fitted.on_target);
  EXPECT_EQ(fitted.text, "aba");
  EXPECT_EQ(fitted.prompt_len, 2);
}

TEST(FitToLength, AlreadyExactTextIsKept) {
  FakeCodec codec;
  FittedText fitted = FitToLength(codec, {5, 6, 7}, 3, [] { return 2; });
  EXPECT_EQ(fitted.text, "def");
  EXPECT_EQ(fitted.prompt_len, 3);
}

}  // namespace
}  // namespace servebench::dataset
