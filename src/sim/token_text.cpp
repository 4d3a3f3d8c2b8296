#include "sim/token_text.h"

#include <array>

namespace servebench::sim {
namespace {

// Frequent English words that Llama-3, Qwen, Mistral and GPT tokenizers each encode as a single
// token when preceded by a space.
constexpr std::array<std::string_view, 64> kWords = {
    " the",  " of",     " and",   " to",   " in",    " is",   " that",  " for",
    " it",   " as",     " was",   " with", " be",    " by",   " on",    " not",
    " he",   " this",   " are",   " or",   " his",   " from", " at",    " which",
    " but",  " have",   " an",    " had",  " they",  " you",  " were",  " their",
    " one",  " all",    " we",    " can",  " her",   " has",  " there", " been",
    " if",   " more",   " when",  " will", " would", " who",  " so",    " no",
    " time", " people", " year",  " way",  " day",   " man",  " world", " life",
    " hand", " part",   " place", " work", " week",  " case", " point", " number",
};

}  // namespace

uint64_t SimRandom::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double SimRandom::NextDouble() {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

SimToken NextToken(SimRandom& random) {
  size_t index = random.Next() % kWords.size();
  return SimToken{static_cast<int>(1000 + index), kWords[index]};
}

int CountWords(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace servebench::sim
