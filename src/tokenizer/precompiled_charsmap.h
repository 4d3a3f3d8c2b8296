// SentencePiece's precompiled normalization map (the "Precompiled" normalizer of tokenizer.json):
// a Darts double-array trie from UTF-8 sequences to replacement strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::tokenizer {

class PrecompiledCharsmap {
 public:
  static Expected<PrecompiledCharsmap> FromBase64(std::string_view base64);
  static Expected<PrecompiledCharsmap> FromBlob(std::string_view blob);

  // Replaces each grapheme (or, failing that, each character) that the map covers.
  std::string Normalize(std::string_view text) const;

 private:
  // The replacement for exactly `chunk`, if the map has one.
  bool Lookup(std::string_view chunk, std::string_view* replacement) const;

  std::vector<uint32_t> units_;
  std::string normalized_;
};

}  // namespace servebench::tokenizer
