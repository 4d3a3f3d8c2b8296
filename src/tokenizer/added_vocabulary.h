// Added tokens of tokenizer.json ("added_tokens"): matched in the text before the model runs
// (leftmost, then longest), so "<|im_start|>" is one id however the model would split it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/pieces.h"

namespace servebench::tokenizer {

class Normalizer;

struct AddedToken {
  std::string content;
  int32_t id = -1;
  bool special = false;
  bool lstrip = false;       // the match swallows whitespace before it
  bool rstrip = false;       // ... and after it
  bool normalized = false;   // matched in the normalized text rather than the raw text
  bool single_word = false;  // only matched when not inside a word
};

class AddedVocabulary {
 public:
  // `normalizer` (may be null) spells the normalized tokens as they appear after normalization.
  void Build(std::vector<AddedToken> tokens, const Normalizer* normalizer);

  // Splits the pieces that are not yet added tokens around the matches of the tokens whose
  // `normalized` flag equals `normalized`.
  void Split(PieceList& list, bool normalized) const;

  const AddedToken* ById(int32_t id) const;
  const AddedToken* ByContent(std::string_view content) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  struct Trie {
    struct Node {
      int32_t token = -1;  // index into tokens_ when a token ends here
    };
    std::vector<Node> nodes{Node{}};
    std::unordered_map<uint64_t, int32_t> edges;  // (node << 8 | byte) -> child
    std::array<bool, 256> first{};
    bool empty = true;

    void Insert(std::string_view text, int32_t token);
    // The longest token starting at text[i] (its index and end), if any.
    bool Longest(std::string_view text, size_t i, int32_t* token, size_t* end) const;
  };
  void SplitPiece(const Trie& trie, PieceList& list, const Piece& piece,
                  std::vector<Piece>& out) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<int32_t, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_content_;
  Trie raw_, normalized_;
};

}  // namespace servebench::tokenizer
