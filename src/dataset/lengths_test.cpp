#include "dataset/lengths.h"

#include <gtest/gtest.h>

namespace servebench::dataset {
namespace {

using load::RandomStream;

TEST(SampleLengths, SglangDefaultIsUniformFromOneToL) {
  RandomStream stream(42, load::kDatasetStream);
  LengthOptions o;
  o.input_len = 10;
  o.output_len = 20;
  o.text_mode = false;
  auto l = SampleLengths(20000, o, stream);
  ASSERT_TRUE(l.has_value());
  double in_sum = 0, out_sum = 0;
  for (size_t i = 0; i < l->input.size(); ++i) {
    ASSERT_GE(l->input[i], 1);
    ASSERT_LE(l->input[i], 10);
    ASSERT_GE(l->output[i], 1);
    ASSERT_LE(l->output[i], 20);
    in_sum += static_cast<double>(l->input[i]);
    out_sum += static_cast<double>(l->output[i]);
  }
  EXPECT_NEAR(in_sum / 20000, 5.5, 0.06);
  EXPECT_NEAR(out_sum / 20000, 10.5, 0.12);
}

TEST(SampleLengths, DrawOrderIsAllInputsThenAllOutputs) {
  LengthOptions o;
  o.input_len = 100;
  o.output_len = 50;
  o.ratio = {0.5, 0.5};
  o.text_mode = false;
  RandomStream stream(7, load::kDatasetStream);
  auto l = SampleLengths(3, o, stream);
  ASSERT_TRUE(l.has_value());
  RandomStream replay(7, load::kDatasetStream);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(l->input[i], replay.UniformInt(50, 100));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(l->output[i], replay.UniformInt(25, 50));
}

TEST(SampleLengths, SglangTextModeReservesSpecialTokens) {
  LengthOptions o;
  o.input_len = 10;
  o.output_len = 5;
  o.ratio = {1.0, 1.0};
  o.special_tokens = 1;
  RandomStream stream(1, load::kDatasetStream);
  auto l = SampleLengths(4, o, stream);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->input, (std::vector<int64_t>(4, 9)));
  EXPECT_EQ(l->output, (std::vector<int64_t>(4, 5)));
  o.input_len = 1;  // never below one token
  RandomStream again(1, load::kDatasetStream);
  EXPECT_EQ(SampleLengths(2, o, again)->input, (std::vector<int64_t>(2, 1)));
}

TEST(SampleLengths, VllmSemantics) {
  LengthOptions o;
  o.semantics = RangeSemantics::kVllm;
  o.input_len = 10;
  o.output_len = 10;
  o.special_tokens = 1;
  RandomStream fixed(1, load::kDatasetStream);
  auto l = SampleLengths(3, o, fixed);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->input, (std::vector<int64_t>(3, 9)));  // L' = 10 - 1, ratio 0: fixed
  EXPECT_EQ(l->output, (std::vector<int64_t>(3, 10)));
  o.ratio = {0.5, 0.5};
  RandomStream stream(2, load::kDatasetStream);
  auto r = SampleLengths(5000, o, stream);
  ASSERT_TRUE(r.has_value());
  // Input in [floor(4.5), ceil(13.5)] = [4, 14]; output in [5, 15]; both ends reached.
  EXPECT_EQ(*std::min_element(r->input.begin(), r->input.end()), 4);
  EXPECT_EQ(*std::max_element(r->input.begin(), r->input.end()), 14);
  EXPECT_EQ(*std::min_element(r->output.begin(), r->output.end()), 5);
  EXPECT_EQ(*std::max_element(r->output.begin(), r->output.end()), 15);
}

TEST(ParseRangeRatio, NumbersAndTheJsonForm) {
  EXPECT_EQ(ParseRangeRatio("0.25", RangeSemantics::kSglang)->output, 0.25);
  EXPECT_TRUE(ParseRangeRatio("1.0", RangeSemantics::kSglang).has_value());
  EXPECT_FALSE(ParseRangeRatio("1.0", RangeSemantics::kVllm).has_value());
  auto json = ParseRangeRatio(R"({"input": 0.1, "output":0.2})", RangeSemantics::kVllm);
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->input, 0.1);
  EXPECT_EQ(json->output, 0.2);
  for (auto [value, semantics] :
       {std::pair{R"({"input": 0.1, "output": 0.2})", RangeSemantics::kSglang},
        std::pair{R"({"input": 0.1})", RangeSemantics::kVllm},
        std::pair{"abc", RangeSemantics::kSglang}, std::pair{"-0.1", RangeSemantics::kSglang}}) {
    auto r = ParseRangeRatio(value, semantics);
    ASSERT_FALSE(r.has_value()) << value;
    EXPECT_NE(r.error().message.find("--random-range-ratio"), std::string::npos);
  }
  EXPECT_FALSE(ParseRangeSemantics("numpy").has_value());
}

TEST(SampleLengths, NegativeLengthsAreRejected) {
  LengthOptions o;
  o.input_len = -1;
  RandomStream stream(1, load::kDatasetStream);
  auto l = SampleLengths(1, o, stream);
  ASSERT_FALSE(l.has_value());
  EXPECT_NE(l.error().message.find("--random-input-len"), std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset
