// Seeded random streams with transforms fixed by spec/load.md §3.
//
// Every random choice of a run comes from a named stream derived from the master seed
// (`--seed`), so a choice in one area (say, arrival gaps) never shifts the draws of another
// (the prompts). The generator (std::mt19937_64) and every transform below are defined bit for
// bit, never left to the standard library's distributions, so a seed gives the same workload on
// every machine and compiler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace servebench::load {

// One SplitMix64 step from state x: add the golden gamma, then the xor-shift-multiply finaliser.
uint64_t SplitMix64(uint64_t x);

// FNV-1a 64-bit hash of `bytes` (offset basis 0xCBF29CE484222325, prime 0x100000001B3).
uint64_t Fnv1a64(std::string_view bytes);

// The mt19937_64 seed of stream `name`: SplitMix64(master_seed XOR Fnv1a64(name)).
uint64_t StreamSeed(uint64_t master_seed, std::string_view name);

// The stream names of load.md §3.
inline constexpr std::string_view kDatasetStream = "dataset";
inline constexpr std::string_view kArrivalsStream = "arrivals";
inline constexpr std::string_view kLoraStream = "lora";
inline constexpr std::string_view kImagesStream = "images";
inline constexpr std::string_view kCancelStream = "cancel";
inline constexpr std::string_view kOversampleStream = "oversample";

class RandomStream {
 public:
  RandomStream(uint64_t master_seed, std::string_view name);

  // The raw 64-bit draw.
  uint64_t Next() { return engine_(); }

  // Uniform in [0, 1) with 53 random bits.
  double UniformReal();
  // Uniform integer in [lo, hi] (lo <= hi), unbiased (Lemire's multiply-and-reject).
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Exponential with mean 1.
  double Exponential();
  // Standard normal (Marsaglia's polar method; the second value of each pair is discarded).
  double Normal();
  // Gamma with the given shape (> 0) and scale 1 (Marsaglia–Tsang; boosted for shape < 1).
  double Gamma(double shape);
  // An index j drawn with probability proportional to weight j, given the running sums of the
  // weights (non-decreasing, last entry > 0).
  size_t WeightedChoice(std::span<const double> cumulative_weights);

  // Fisher–Yates from the last position down to 1.
  template <typename T>
  void Shuffle(std::span<T> items) {
    for (size_t i = items.size(); i-- > 1;) {
      size_t j = static_cast<size_t>(UniformInt(0, static_cast<int64_t>(i)));
      std::swap(items[i], items[j]);
    }
  }

  // k distinct indices out of 0..n-1 (k <= n): the first k positions of a partial Fisher–Yates.
  std::vector<size_t> DistinctIndices(size_t k, size_t n);

 private:
  std::mt19937_64 engine_;
};

}  // namespace servebench::load
