// What the dataset builders need from a tokenizer, and nothing more: the run's tokenizer
// (src/tokenizer/) is adapted to this interface where the run is assembled, and tests use a
// small fake, so the builders never depend on a particular tokenizer implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace servebench::dataset {

class TokenCodec {
 public:
  virtual ~TokenCodec() = default;
  // Ids of `text`; with add_special_tokens the tokenizer's own tokens (e.g. BOS) are added.
  virtual std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens) const = 0;
  // Text of `ids`, special tokens included.
  virtual std::string Decode(std::span<const int32_t> ids) const = 0;
  // V: the base vocabulary holds ids 0 .. V - 1.
  virtual size_t VocabSize() const = 0;
  // Special or added-special token.
  virtual bool IsSpecial(int32_t id) const = 0;
  // Encode(text, add_special_tokens).size() of every text, in order. The default counts one
  // text after another; the run's codec spreads the texts over threads.
  virtual std::vector<size_t> CountBatch(std::span<const std::string_view> texts,
                                         bool add_special_tokens) const;
};

// s: how many tokens the tokenizer adds to one sequence (its encoding of "" with specials).
size_t SpecialTokensPerSequence(const TokenCodec& codec);

}  // namespace servebench::dataset
