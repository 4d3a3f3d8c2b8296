// The text of one encode call as it moves through the pipeline: a buffer and the pieces the model
// will see. Pre-tokenizers split pieces (new ranges over the same bytes) or rewrite them (new
// bytes appended to the buffer), so splitting never copies text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/regex.h"

namespace servebench::tokenizer {

struct Piece {
  uint32_t begin = 0;
  uint32_t end = 0;
  int32_t added_id = -1;  // >= 0: an added token, untouched by normalizers and pre-tokenizers
  bool at_start = false;  // begins at offset 0 of the original text
};

// How a split treats the matched parts (HuggingFace's SplitDelimiterBehavior).
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

struct PieceList {
  std::string buffer;
  std::vector<Piece> pieces;

  std::string_view Text(const Piece& p) const {
    return std::string_view(buffer).substr(p.begin, p.end - p.begin);
  }
  void Clear() {
    buffer.clear();
    pieces.clear();
  }

  // Splits every piece that is not an added token. `find(text, matches)` appends the matches of
  // one piece's text; the parts are kept according to `behavior` (matches and gaps swap roles
  // with `invert`); empty parts are dropped.
  template <typename Fn>
  void Split(Fn&& find, SplitBehavior behavior, bool invert = false) {
    scratch_.clear();
    for (const Piece& p : pieces) {
      if (p.added_id >= 0) {
        scratch_.push_back(p);
        continue;
      }
      matches_.clear();
      find(Text(p), matches_);
      SplitOne(p, behavior, invert);
    }
    pieces.swap(scratch_);
  }

  // Replaces the text of every piece that is not an added token with `rewrite(text, out)`.
  template <typename Fn>
  void Rewrite(Fn&& rewrite) {
    for (Piece& p : pieces) {
      if (p.added_id >= 0) continue;
      text_.assign(Text(p));
      auto begin = static_cast<uint32_t>(buffer.size());
      rewrite(std::string_view(text_), buffer);
      p.begin = begin;
      p.end = static_cast<uint32_t>(buffer.size());
    }
  }

 private:
  void SplitOne(const Piece& p, SplitBehavior behavior, bool invert);

  std::vector<Piece> scratch_;
  std::vector<Match> matches_;
  std::string text_;
};

}  // namespace servebench::tokenizer
