#include "tokenizer/added_vocabulary.h"

#include "tokenizer/normalizer.h"
#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

void AddedVocabulary::Trie::Insert(std::string_view text, int32_t token) {
  if (text.empty()) return;
  int32_t node = 0;
  for (char c : text) {
    uint64_t key = (static_cast<uint64_t>(node) << 8) | static_cast<uint8_t>(c);
    auto it = edges.find(key);
    if (it == edges.end()) {
      nodes.push_back(Node{});
      it = edges.emplace(key, static_cast<int32_t>(nodes.size() - 1)).first;
    }
    node = it->second;
  }
  // A later duplicate of the same text does not replace the first token.
  if (nodes[node].token < 0) nodes[node].token = token;
  first[static_cast<uint8_t>(text[0])] = true;
  empty = false;
}

bool AddedVocabulary::Trie::Longest(std::string_view text, size_t i, int32_t* token,
                                    size_t* end) const {
  int32_t node = 0;
  bool found = false;
  for (size_t j = i; j < text.size(); ++j) {
    auto it = edges.find((static_cast<uint64_t>(node) << 8) | static_cast<uint8_t>(text[j]));
    if (it == edges.end()) break;
    node = it->second;
    if (nodes[node].token >= 0) {
      *token = nodes[node].token;
      *end = j + 1;
      found = true;
    }
  }
  return found;
}

void AddedVocabulary::Build(std::vector<AddedToken> tokens, const Normalizer* normalizer) {
  tokens_ = std::move(tokens);
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& t = tokens_[i];
    by_id_.emplace(t.id, i);
    by_content_.emplace(t.content, i);
    if (t.normalized && normalizer != nullptr) {
      std::string spelled = t.content;
      normalizer->Apply(spelled);
      normalized_.Insert(spelled, static_cast<int32_t>(i));
    } else {
      (t.normalized ? normalized_ : raw_).Insert(t.content, static_cast<int32_t>(i));
    }
  }
}

const AddedToken* AddedVocabulary::ById(int32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

const AddedToken* AddedVocabulary::ByContent(std::string_view content) const {
  auto it = by_content_.find(std::string(content));
  return it == by_content_.end() ? nullptr : &tokens_[it->second];
}

namespace {

bool IsWordChar(char32_t c) {
  return c == '_' || IsAlphanumeric(c);
}

// The character ending just before byte `i` (valid UTF-8, i > 0).
char32_t CharBefore(std::string_view s, size_t i) {
  size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
    --start;
  size_t len;
  return DecodeUtf8(s, start, &len);
}

}  // namespace

void AddedVocabulary::SplitPiece(const Trie& trie, PieceList& list, const Piece& piece,
                                 std::vector<Piece>& out) const {
  std::string_view text = list.Text(piece);
  size_t gap_begin = 0;  // start of the text not yet emitted
  auto emit_gap = [&](size_t end) {
    if (end > gap_begin) {
      Piece p;
      p.begin = piece.begin + static_cast<uint32_t>(gap_begin);
      p.end = piece.begin + static_cast<uint32_t>(end);
      p.at_start = piece.at_start && gap_begin == 0;
      out.push_back(p);
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    int32_t index;
    size_t end;
    if (!trie.first[static_cast<uint8_t>(text[i])] || !trie.Longest(text, i, &index, &end)) {
      ++i;
      continue;
    }
    const AddedToken& token = tokens_[index];
    size_t len;
    if (token.single_word && ((i > 0 && IsWordChar(CharBefore(text, i))) ||
                              (end < text.size() && IsWordChar(DecodeUtf8(text, end, &len))))) {
      ++i;
      continue;
    }
    size_t begin = i;
    if (token.lstrip) {
      while (begin > gap_begin && IsWhitespace(CharBefore(text, begin))) {
        size_t s = begin - 1;
        while (s > gap_begin && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80)
          --s;
        begin = s;
      }
    }
    if (token.rstrip) {
      while (end < text.size() && IsWhitespace(DecodeUtf8(text, end, &len)))
        end += len;
    }
    emit_gap(begin);
    Piece p;
    p.begin = piece.begin + static_cast<uint32_t>(begin);
    p.end = piece.begin + static_cast<uint32_t>(end);
    p.added_id = token.id;
    out.push_back(p);
    gap_begin = i = end;
  }
  emit_gap(text.size());
}

void AddedVocabulary::Split(PieceList& list, bool normalized) const {
  const Trie& trie = normalized ? normalized_ : raw_;
  if (trie.empty) return;
  thread_local std::vector<Piece> out;
  out.clear();
  for (const Piece& p : list.pieces) {
    if (p.added_id >= 0) {
      out.push_back(p);
    } else {
      SplitPiece(trie, list, p, out);
    }
  }
  list.pieces.swap(out);
}

}  // namespace servebench::tokenizer
