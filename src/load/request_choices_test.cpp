#include "load/request_choices.h"

#include <array>

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

TEST(AssignLora, DistinctIsRoundRobin) {
  auto c = AssignLora(5, 2, LoraDistribution::kDistinct, 1.5, 42);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, (std::vector<int32_t>{0, 1, 0, 1, 0}));
}

TEST(AssignLora, UniformAndSkewedFrequencies) {
  const int n = 30000;
  auto uniform = AssignLora(n, 3, LoraDistribution::kUniform, 1.5, 42);
  auto skewed = AssignLora(n, 3, LoraDistribution::kSkewed, 2.0, 42);
  ASSERT_TRUE(uniform && skewed);
  std::array<int, 3> u{}, s{};
  for (int i = 0; i < n; ++i) {
    ++u[static_cast<size_t>((*uniform)[i])];
    ++s[static_cast<size_t>((*skewed)[i])];
  }
  for (int count : u)
    EXPECT_NEAR(count, n / 3, 400);
  // Weights 1, 1/2, 1/4 out of 7/4.
  EXPECT_NEAR(s[0], n * 4 / 7, 400);
  EXPECT_NEAR(s[1], n * 2 / 7, 400);
  EXPECT_NEAR(s[2], n * 1 / 7, 400);
  EXPECT_EQ(*AssignLora(50, 3, LoraDistribution::kUniform, 1.5, 42),
            *AssignLora(50, 3, LoraDistribution::kUniform, 1.5, 42));
}

TEST(AssignLora, RejectsInvalidSettings) {
  EXPECT_FALSE(AssignLora(5, 1, LoraDistribution::kDistinct, 1.5, 42).has_value());
  EXPECT_FALSE(AssignLora(5, 3, LoraDistribution::kSkewed, 1.0, 42).has_value());
  auto no_adapters = AssignLora(5, 0, LoraDistribution::kSkewed, 1.0, 42);
  ASSERT_TRUE(no_adapters.has_value());
  EXPECT_TRUE(no_adapters->empty());
  EXPECT_FALSE(ParseLoraDistribution("zipf").has_value());
  EXPECT_EQ(*ParseLoraDistribution("round-robin"), LoraDistribution::kDistinct);
}

TEST(MarkCancellations, MarksTheRequestedFractionWithinLength) {
  std::vector<int64_t> lengths(20000, 64);
  auto marks = MarkCancellations(lengths, 0.3, 42);
  ASSERT_TRUE(marks.has_value());
  int marked = 0;
  for (const auto& m : *marks) {
    if (!m) continue;
    ++marked;
    EXPECT_GE(*m, 0);
    EXPECT_LE(*m, 64);
  }
  EXPECT_NEAR(marked, 6000, 300);
  auto all = MarkCancellations(lengths, 1.0, 1);
  auto none = MarkCancellations(lengths, 0.0, 1);
  ASSERT_TRUE(all && none);
  for (const auto& m : *all)
    EXPECT_TRUE(m.has_value());
  for (const auto& m : *none)
    EXPECT_FALSE(m.has_value());
  auto bad = MarkCancellations(lengths, 1.5, 1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("--cancel-rate"), std::string::npos);
}

}  // namespace
}  // namespace servebench::load
