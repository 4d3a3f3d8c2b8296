#include "load/random_stream.h"

#include <algorithm>
#include <cmath>

namespace servebench::load {

namespace {
// unsigned __int128 is a GNU extension; __extension__ keeps -Wpedantic quiet about it.
__extension__ using Uint128 = unsigned __int128;
}  // namespace

uint64_t SplitMix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

uint64_t StreamSeed(uint64_t master_seed, std::string_view name) {
  return SplitMix64(master_seed ^ Fnv1a64(name));
}

RandomStream::RandomStream(uint64_t master_seed, std::string_view name)
    : engine_(StreamSeed(master_seed, name)) {}

double RandomStream::UniformReal() {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

int64_t RandomStream::UniformInt(int64_t lo, int64_t hi) {
  // m wraps to 0 for the full 64-bit range, where every draw is already uniform.
  uint64_t m = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (m == 0) return static_cast<int64_t>(Next());
  uint64_t threshold = (0 - m) % m;  // (2^64 - m) mod m
  Uint128 product;
  do {
    product = static_cast<Uint128>(Next()) * m;
  } while (static_cast<uint64_t>(product) < threshold);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + static_cast<uint64_t>(product >> 64));
}

double RandomStream::Exponential() {
  return -std::log(1.0 - UniformReal());
}

double RandomStream::Normal() {
  while (true) {
    double u = 2.0 * UniformReal() - 1.0;
    double v = 2.0 * UniformReal() - 1.0;
    double s = u * u + v * v;
    if (s >= 1.0 || s == 0.0) continue;
    return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double RandomStream::Gamma(double shape) {
  if (shape < 1.0) {
    double boosted = Gamma(shape + 1.0);
    return boosted * std::pow(UniformReal(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double z = Normal();
    double t = 1.0 + c * z;
    double v = t * t * t;
    if (v <= 0.0) continue;
    double u = UniformReal();
    if (std::log(u) < z * z / 2.0 + d - d * v + d * std::log(v)) return d * v;
  }
}

size_t RandomStream::WeightedChoice(std::span<const double> cumulative_weights) {
  double target = UniformReal() * cumulative_weights.back();
  auto it = std::upper_bound(cumulative_weights.begin(), cumulative_weights.end(), target);
  // target < back() always holds, so `it` is a real entry; the clamp guards rounding only.
  size_t index = static_cast<size_t>(it - cumulative_weights.begin());
  return std::min(index, cumulative_weights.size() - 1);
}

std::vector<size_t> RandomStream::DistinctIndices(size_t k, size_t n) {
  std::vector<size_t> pool(n);
  for (size_t i = 0; i < n; ++i)
    pool[i] = i;
  // Partial Fisher–Yates from the front: position i takes a uniform pick from positions i..n-1.
  for (size_t i = 0; i < k && i + 1 < n; ++i) {
    size_t j =
        static_cast<size_t>(UniformInt(static_cast<int64_t>(i), static_cast<int64_t>(n - 1)));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

}  // namespace servebench::load
