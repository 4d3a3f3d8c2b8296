// The text serve-sim generates: one English word with a leading space per token, chosen by a
// seeded generator, so that common BPE tokenizers count exactly one token per word.
#pragma once

#include <cstdint>
#include <string_view>

namespace servebench::sim {

// SplitMix64: tiny, fast and good enough for choosing words and output lengths.
class SimRandom {
 public:
  explicit SimRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  double NextDouble();  // uniform in [0, 1)
 private:
  uint64_t state_;
};

struct SimToken {
  int id;
  std::string_view text;  // " the", " of", ...
};

SimToken NextToken(SimRandom& random);

// Whitespace-separated words: serve-sim's prompt-token count when no tokenizer is given.
int CountWords(std::string_view text);

}  // namespace servebench::sim
