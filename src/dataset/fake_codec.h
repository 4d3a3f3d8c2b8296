// A tiny tokenizer for dataset tests: ids 0 "<s>" and 1 "</s>" are special, 2..27 are the
// letters a..z, 28 "ab" and 29 "cd". Encoding is greedy longest match (so decoded "a","b"
// re-encodes as one "ab" token and exercises the length fit); other characters are dropped;
// unknown ids decode to nothing.
#pragma once

#include <string>
#include <vector>

#include "dataset/token_codec.h"

namespace servebench::dataset::testing {

class FakeCodec : public TokenCodec {
 public:
  FakeCodec() {
    pieces_ = {"<s>", "</s>"};
    for (char c = 'a'; c <= 'z'; ++c)
      pieces_.push_back(std::string(1, c));
    pieces_.push_back("ab");
    pieces_.push_back("cd");
  }

  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens) const override {
    std::vector<int32_t> ids;
    if (add_special_tokens) ids.push_back(0);
    size_t p = 0;
    while (p < text.size()) {
      int32_t best = -1;
      size_t best_len = 0;
      for (size_t id = 0; id < pieces_.size(); ++id) {
        const std::string& piece = pieces_[id];
        if (piece.size() > best_len && text.substr(p, piece.size()) == piece) {
          best = static_cast<int32_t>(id);
          best_len = piece.size();
        }
      }
      if (best < 0) {
        ++p;
        continue;
      }
      ids.push_back(best);
      p += best_len;
    }
    return ids;
  }

  std::string Decode(std::span<const int32_t> ids) const override {
    std::string text;
    for (int32_t id : ids) {
      if (id >= 0 && static_cast<size_t>(id) < pieces_.size()) text += pieces_[id];
    }
    return text;
  }

  size_t VocabSize() const override { return pieces_.size(); }
  bool IsSpecial(int32_t id) const override { return id == 0 || id == 1; }

 private:
  std::vector<std::string> pieces_;
};

}  // namespace servebench::dataset::testing
