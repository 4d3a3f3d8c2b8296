#include "load/random_stream.h"

#include <array>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

namespace servebench::load {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0;
};

template <typename Draw>
Moments Sample(int n, Draw draw) {
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  double mean = sum / n;
  return {mean, sum_sq / n - mean * mean};
}

TEST(SplitMix64, MatchesReferenceFirstOutput) {
  // The first output of the reference SplitMix64 generator started from state 0.
  EXPECT_EQ(SplitMix64(0), 0xE220A8397B1DCDAFULL);
}

TEST(Fnv1a64, MatchesPublishedVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xCBF29CE484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xAF63DC4C8601EC8CULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171F73967E8ULL);
}

TEST(StreamSeed, IsSplitMixOfSeedXorNameHash) {
  EXPECT_EQ(StreamSeed(42, "arrivals"), SplitMix64(42 ^ Fnv1a64("arrivals")));
  EXPECT_NE(StreamSeed(42, "arrivals"), StreamSeed(42, "dataset"));
  EXPECT_NE(StreamSeed(42, "arrivals"), StreamSeed(43, "arrivals"));
}

TEST(RandomStream, DrawsComeFromMt19937_64SeededWithStreamSeed) {
  RandomStream stream(7, "lora");
  std::mt19937_64 reference(StreamSeed(7, "lora"));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(stream.Next(), reference());
  uint64_t x = reference();
  EXPECT_EQ(stream.UniformReal(), static_cast<double>(x >> 11) / 9007199254740992.0);
}

TEST(RandomStream, SameSeedSameSequenceAcrossInstances) {
  RandomStream a(123, "dataset"), b(123, "dataset");
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(a.Gamma(0.7), b.Gamma(0.7));
    ASSERT_EQ(a.UniformInt(-5, 5), b.UniformInt(-5, 5));
  }
}

TEST(RandomStream, UniformIntIsLemireMultiplyShift) {
  // With m = 3 the rejection threshold is (2^64 - 3) mod 3 = 1: only a low part of 0 rejects,
  // which these draws almost surely never hit, so each result is the high word of x * 3.
  RandomStream stream(9, "cancel");
  std::mt19937_64 reference(StreamSeed(9, "cancel"));
  for (int i = 0; i < 50; ++i) {
    __extension__ unsigned __int128 product = static_cast<unsigned __int128>(reference()) * 3u;
    EXPECT_EQ(stream.UniformInt(10, 12), 10 + static_cast<int64_t>(product >> 64));
  }
}

TEST(RandomStream, UniformIntCoversRangeEvenly) {
  RandomStream stream(1, "dataset");
  std::array<int, 7> counts{};
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    int64_t v = stream.UniformInt(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    ++counts[static_cast<size_t>(v + 3)];
  }
  for (int c : counts)
    EXPECT_NEAR(c, n / 7, 400);  // ~4.3 sigma
  EXPECT_EQ(stream.UniformInt(5, 5), 5);
}

TEST(RandomStream, ExponentialHasMeanAndVarianceOne) {
  RandomStream stream(42, "arrivals");
  Moments m = Sample(200000, [&] { return stream.Exponential(); });
  EXPECT_NEAR(m.mean, 1.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.03);
}

TEST(RandomStream, NormalIsStandard) {
  RandomStream stream(42, "images");
  Moments m = Sample(200000, [&] { return stream.Normal(); });
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.02);
}

TEST(RandomStream, GammaHasMeanAndVarianceShape) {
  for (double shape : {0.25, 0.5, 1.0, 2.0, 7.5}) {
    RandomStream stream(42, "arrivals");
    Moments m = Sample(200000, [&] { return stream.Gamma(shape); });
    EXPECT_NEAR(m.mean / shape, 1.0, 0.015) << "shape " << shape;
    EXPECT_NEAR(m.variance / shape, 1.0, 0.05) << "shape " << shape;
  }
}

TEST(RandomStream, WeightedChoiceFollowsWeights) {
  RandomStream stream(5, "lora");
  std::array<double, 3> cumulative{1.0, 1.0, 4.0};  // weights 1, 0, 3
  std::array<int, 3> counts{};
  const int n = 40000;
  for (int i = 0; i < n; ++i)
    ++counts[stream.WeightedChoice(cumulative)];
  EXPECT_NEAR(counts[0], n / 4, 400);
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2], 3 * n / 4, 400);
}

TEST(RandomStream, ShuffleIsAPermutationAndFollowsFisherYates) {
  std::vector<int> items(10);
  std::iota(items.begin(), items.end(), 0);
  RandomStream stream(3, "dataset");
  stream.Shuffle(std::span<int>(items));
  std::vector<int> sorted = items;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(sorted[i], i);

  // Replay the definition by hand: swap i with a uniform pick in [0, i], i from 9 down to 1.
  std::vector<int> expected(10);
  std::iota(expected.begin(), expected.end(), 0);
  RandomStream replay(3, "dataset");
  for (int i = 9; i >= 1; --i)
    std::swap(expected[i], expected[replay.UniformInt(0, i)]);
  EXPECT_EQ(items, expected);
}

TEST(RandomStream, DistinctIndicesAreDistinctAndInRange) {
  RandomStream stream(11, "dataset");
  auto picks = stream.DistinctIndices(20, 25);
  ASSERT_EQ(picks.size(), 20u);
  std::vector<bool> seen(25);
  for (size_t p : picks) {
    ASSERT_LT(p, 25u);
    EXPECT_FALSE(seen[p]);
    seen[p] = true;
  }
  EXPECT_EQ(stream.DistinctIndices(0, 5).size(), 0u);
  auto all = RandomStream(11, "dataset").DistinctIndices(4, 4);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace servebench::load
