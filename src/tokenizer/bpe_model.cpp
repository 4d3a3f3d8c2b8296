// Byte-pair encoding (HuggingFace's "BPE" model).
//
// A word starts as one symbol per character (or per byte, when reading raw bytes for ByteLevel);
// the lowest-ranked adjacent pair is merged until none is in the merge table, the leftmost first
// among equal ranks. Symbols live in a per-thread array linked as a list, so a merge moves two
// indices and allocates nothing; long words use a heap of candidate pairs instead of rescanning.
#include <algorithm>
#include <array>
#include <limits>

#include "tokenizer/byte_level.h"
#include "tokenizer/model.h"
#include "tokenizer/unicode.h"
#include "tokenizer/vocab.h"
#include "tokenizer/word_cache.h"

namespace servebench::tokenizer {

namespace {

constexpr uint32_t kNoRank = std::numeric_limits<uint32_t>::max();

// (left id, right id) -> (rank, merged id), open addressing.
class PairMap {
 public:
  struct Value {
    uint32_t rank = kNoRank;
    int32_t merged = -1;
  };
  void Reserve(size_t n) {
    size_t want = 16;
    while (want < n * 2)
      want *= 2;
    slots_.assign(want, Slot{});
  }
  void Insert(int32_t left, int32_t right, Value v) {
    uint64_t key = Key(left, right);
    size_t mask = slots_.size() - 1;
    size_t i = Hash(key) & mask;
    while (slots_[i].key != kEmpty && slots_[i].key != key)
      i = (i + 1) & mask;
    slots_[i] = Slot{key, v};
  }
  Value Find(int32_t left, int32_t right) const {
    uint64_t key = Key(left, right);
    size_t mask = slots_.size() - 1;
    size_t i = Hash(key) & mask;
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == kEmpty) return Value{};
      i = (i + 1) & mask;
    }
  }

 private:
  static constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();
  struct Slot {
    uint64_t key = kEmpty;
    Value value;
  };
  static uint64_t Key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  static uint64_t Hash(uint64_t k) {
    k *= 0x9E3779B97F4A7C15ull;
    return k ^ (k >> 31);
  }
  std::vector<Slot> slots_;
};

struct Symbol {
  int32_t id;
  int32_t prev;
  int32_t next;
  uint32_t rank;   // rank of the pair (this, next); kNoRank when none
  int32_t merged;  // the id that pair merges into
};

struct HeapEntry {
  uint32_t rank;
  int32_t pos;
  int32_t merged;
  // std::push_heap keeps the largest on top: "larger" is the lower (rank, pos).
  bool operator<(const HeapEntry& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};

class BpeModel : public Model {
 public:
  Status Load(json::Object spec, const std::string& path);

  void Tokenize(std::string_view word, std::vector<int32_t>& ids) const override;
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    return vocab_.Id(token);
  }
  std::optional<std::string_view> IdToToken(int32_t id) const override { return vocab_.Token(id); }
  size_t VocabSize() const override { return vocab_.tokens.size(); }
  bool UseRawBytes() override;

 private:
  // One word that is not split further (cached, then merged).
  void TokenizeWhole(std::string_view word, std::vector<int32_t>& ids) const;
  // SentencePiece-style files without a pre-tokenizer hand the model whole texts ("▁Hello▁world").
  // Cutting before a "▁" gives the same ids when no token spans that place, i.e. when no token
  // holds the preceding character followed by "▁"; the pieces then hit the word cache.
  void FindMetaspaceCuts();
  bool CanCutBefore(std::string_view word, size_t i) const;
  void BuildSymbols(std::string_view word, std::vector<Symbol>& symbols) const;
  void Merge(std::vector<Symbol>& symbols) const;
  void Rank(std::vector<Symbol>& symbols, int32_t pos) const;

  Vocab vocab_;
  PairMap merges_;
  int32_t unk_id_ = -1;
  bool byte_fallback_ = false;
  bool fuse_unk_ = false;
  bool ignore_merges_ = false;
  std::string prefix_;                     // continuing_subword_prefix
  std::string suffix_;                     // end_of_word_suffix
  std::array<int32_t, 256> fallback_ids_;  // "<0xXX>" tokens, -1 when absent

  bool cut_at_metaspace_ = false;
  std::vector<char32_t> joined_before_metaspace_;  // sorted: chars some token has before "▁"

  bool raw_ = false;
  StringIdMap raw_ids_;                // raw-byte spelling -> id
  std::array<int32_t, 256> byte_ids_;  // single raw byte -> id
  uint64_t cache_owner_ = WordCache::NewOwnerId();
};

Status BpeModel::Load(json::Object spec, const std::string& path) {
  auto vocab_spec = json::Require(spec, "vocab", path);
  if (!vocab_spec) return std::unexpected(vocab_spec.error());
  auto vocab = ReadVocabObject(*vocab_spec, json::Child(path, "vocab"));
  if (!vocab) return std::unexpected(vocab.error());
  vocab_ = std::move(*vocab);

  auto unk = json::OptString(spec, "unk_token", path);
  if (!unk) return std::unexpected(unk.error());
  if (*unk) unk_id_ = vocab_.Id(**unk).value_or(-1);
  auto prefix = json::OptString(spec, "continuing_subword_prefix", path);
  if (!prefix) return std::unexpected(prefix.error());
  prefix_ = prefix->value_or("");
  auto suffix = json::OptString(spec, "end_of_word_suffix", path);
  if (!suffix) return std::unexpected(suffix.error());
  suffix_ = suffix->value_or("");
  for (auto [field, target] :
       {std::pair{"byte_fallback", &byte_fallback_}, std::pair{"fuse_unk", &fuse_unk_},
        std::pair{"ignore_merges", &ignore_merges_}}) {
    auto value = json::Bool(spec, field, false, path);
    if (!value) return std::unexpected(value.error());
    *target = *value;
  }
  if (auto dropout = json::Field(spec, "dropout")) {
    auto p = json::AsNumber(*dropout, json::Child(path, "dropout"));
    if (!p) return std::unexpected(p.error());
    if (*p != 0.0) return MakeError("{}.dropout: BPE dropout is not supported", path);
  }
  for (int b = 0; b < 256; ++b) {
    fallback_ids_[b] = vocab_.Id(fmt::format("<0x{:02X}>", b)).value_or(-1);
  }

  std::string merges_path = json::Child(path, "merges");
  auto merges_spec = json::Require(spec, "merges", path);
  if (!merges_spec) return std::unexpected(merges_spec.error());
  auto merges = json::AsArray(*merges_spec, merges_path);
  if (!merges) return std::unexpected(merges.error());
  merges_.Reserve(merges->size());
  uint32_t rank = 0;
  std::string joined;
  for (json::Element e : *merges) {
    std::string_view left, right;
    std::string_view line;
    json::Array pair;
    if (!e.get_string().get(line)) {
      size_t space = line.find(' ');
      if (space == std::string_view::npos) {
        return MakeError("{}[{}]: expected \"left right\", found \"{}\"", merges_path, rank, line);
      }
      left = line.substr(0, space);
      right = line.substr(space + 1);
    } else if (!e.get_array().get(pair) && pair.size() == 2 && !pair.at(0).get_string().get(left) &&
               !pair.at(1).get_string().get(right)) {
    } else {
      return MakeError("{}[{}]: expected a string \"left right\" or a pair [left, right]",
                       merges_path, rank);
    }
    auto left_id = vocab_.Id(left);
    auto right_id = vocab_.Id(right);
    joined.assign(left).append(right.substr(std::min(prefix_.size(), right.size()) *
                                            (right.starts_with(prefix_) ? 1 : 0)));
    auto merged_id = vocab_.Id(joined);
    for (auto [name, id] : {std::pair{left, left_id}, std::pair{right, right_id},
                            std::pair{std::string_view(joined), merged_id}}) {
      if (!id) {
        return MakeError("{}[{}]: token \"{}\" is not in the vocabulary", merges_path, rank, name);
      }
    }
    merges_.Insert(*left_id, *right_id, PairMap::Value{rank, *merged_id});
    ++rank;
  }
  FindMetaspaceCuts();
  return Ok();
}

constexpr std::string_view kMetaspace = "\u2581";

void BpeModel::FindMetaspaceCuts() {
  // Cutting changes ignore_merges' whole-word lookups, and needs "▁" itself to be a known token.
  if (ignore_merges_ || !prefix_.empty() || !suffix_.empty() || !vocab_.Id(kMetaspace)) return;
  for (const std::string& token : vocab_.tokens) {
    for (size_t pos = token.find(kMetaspace, 1); pos != std::string::npos;
         pos = token.find(kMetaspace, pos + 1)) {
      size_t start = pos - 1;
      while (start > 0 && (static_cast<unsigned char>(token[start]) & 0xC0) == 0x80)
        --start;
      size_t len;
      char32_t before = DecodeUtf8(token, start, &len);
      if (before != 0x2581) joined_before_metaspace_.push_back(before);
    }
  }
  std::sort(joined_before_metaspace_.begin(), joined_before_metaspace_.end());
  cut_at_metaspace_ = true;
}

bool BpeModel::CanCutBefore(std::string_view word, size_t i) const {
  if (i == 0 || word.compare(i, kMetaspace.size(), kMetaspace) != 0) return false;
  size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(word[start]) & 0xC0) == 0x80)
    --start;
  size_t len;
  char32_t before = DecodeUtf8(word, start, &len);
  return before != 0x2581 && !std::binary_search(joined_before_metaspace_.begin(),
                                                 joined_before_metaspace_.end(), before);
}

bool BpeModel::UseRawBytes() {
  if (!prefix_.empty() || !suffix_.empty()) return false;
  raw_ids_.Reserve(vocab_.tokens.size());
  std::string raw;
  for (size_t id = 0; id < vocab_.tokens.size(); ++id) {
    raw.clear();
    // Tokens with characters outside the alphabet can never be produced from raw bytes.
    if (!vocab_.tokens[id].empty() && ByteLevelToBytes(vocab_.tokens[id], raw)) {
      raw_ids_.Insert(raw, static_cast<int32_t>(id));
    }
  }
  for (int b = 0; b < 256; ++b) {
    byte_ids_[b] = raw_ids_.Find(std::string_view(reinterpret_cast<const char*>(&b), 1));
  }
  raw_ = true;
  return true;
}

void BpeModel::BuildSymbols(std::string_view word, std::vector<Symbol>& symbols) const {
  int32_t pending_unk = -1;  // an unknown run waiting to be emitted (fuse_unk)
  auto add = [&](int32_t id) {
    auto n = static_cast<int32_t>(symbols.size());
    symbols.push_back(Symbol{id, n - 1, n + 1, kNoRank, -1});
  };
  auto unknown = [&]() {
    if (unk_id_ < 0) return;  // without an unk token, unknown characters are dropped
    if (pending_unk >= 0 && !fuse_unk_) add(pending_unk);
    pending_unk = unk_id_;
  };
  auto known = [&](int32_t id) {
    if (pending_unk >= 0) add(pending_unk);
    pending_unk = -1;
    add(id);
  };
  auto fallback = [&](std::string_view bytes) {
    if (!byte_fallback_) return false;
    for (char c : bytes) {
      if (fallback_ids_[static_cast<uint8_t>(c)] < 0) return false;
    }
    for (char c : bytes)
      add(fallback_ids_[static_cast<uint8_t>(c)]);
    return true;
  };

  if (raw_) {
    for (char c : word) {
      int32_t id = byte_ids_[static_cast<uint8_t>(c)];
      if (id >= 0) {
        known(id);
        continue;
      }
      std::string spelled;
      AppendByteLevel(spelled, std::string_view(&c, 1));
      if (!fallback(spelled)) unknown();
    }
  } else {
    thread_local std::string key;
    size_t i = 0;
    while (i < word.size()) {
      size_t len = Utf8Length(static_cast<unsigned char>(word[i]));
      len = std::min(len, word.size() - i);
      key.clear();
      if (i > 0) key += prefix_;
      key.append(word.substr(i, len));
      if (i + len == word.size()) key += suffix_;
      int32_t id = vocab_.ids.Find(key);
      if (id >= 0) {
        known(id);
      } else if (!fallback(key)) {
        unknown();
      }
      i += len;
    }
  }
  if (pending_unk >= 0) add(pending_unk);
  if (!symbols.empty()) symbols.back().next = -1;
}

void BpeModel::Rank(std::vector<Symbol>& symbols, int32_t pos) const {
  Symbol& s = symbols[pos];
  if (s.next < 0) {
    s.rank = kNoRank;
    return;
  }
  PairMap::Value v = merges_.Find(s.id, symbols[s.next].id);
  s.rank = v.rank;
  s.merged = v.merged;
}

void BpeModel::Merge(std::vector<Symbol>& symbols) const {
  auto n = static_cast<int32_t>(symbols.size());
  if (n < 2) return;
  auto join = [&](int32_t pos) {
    Symbol& s = symbols[pos];
    int32_t right = s.next;
    s.id = s.merged;
    s.next = symbols[right].next;
    if (s.next >= 0) symbols[s.next].prev = pos;
    symbols[right].id = -1;
  };
  for (int32_t i = 0; i < n; ++i)
    Rank(symbols, i);
  if (n <= 64) {
    // Short words: rescan the few cached pair ranks for the minimum.
    while (true) {
      int32_t best = -1;
      uint32_t best_rank = kNoRank;
      for (int32_t i = 0; i >= 0; i = symbols[i].next) {
        if (symbols[i].rank < best_rank) {
          best_rank = symbols[i].rank;
          best = i;
        }
      }
      if (best < 0) break;
      join(best);
      Rank(symbols, best);
      if (symbols[best].prev >= 0) Rank(symbols, symbols[best].prev);
    }
    return;
  }
  thread_local std::vector<HeapEntry> heap;
  heap.clear();
  for (int32_t i = 0; i < n; ++i) {
    if (symbols[i].rank != kNoRank) heap.push_back({symbols[i].rank, i, symbols[i].merged});
  }
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    HeapEntry top = heap.back();
    heap.pop_back();
    Symbol& s = symbols[top.pos];
    if (s.id < 0 || s.next < 0) continue;
    // Stale entry: the pair changed since it was pushed (each symbol's cached rank is kept
    // current, since every join re-ranks the two pairs it touches).
    if (s.rank != top.rank || s.merged != top.merged) continue;
    join(top.pos);
    for (int32_t pos : {s.prev, top.pos}) {
      if (pos < 0) continue;
      Rank(symbols, pos);
      if (symbols[pos].rank != kNoRank) {
        heap.push_back({symbols[pos].rank, pos, symbols[pos].merged});
        std::push_heap(heap.begin(), heap.end());
      }
    }
  }
}

void BpeModel::Tokenize(std::string_view word, std::vector<int32_t>& ids) const {
  if (!cut_at_metaspace_ || raw_) {
    TokenizeWhole(word, ids);
    return;
  }
  size_t begin = 0;
  for (size_t i = word.find(kMetaspace, 1); i != std::string_view::npos;
       i = word.find(kMetaspace, i + 1)) {
    if (!CanCutBefore(word, i)) continue;
    TokenizeWhole(word.substr(begin, i - begin), ids);
    begin = i;
  }
  TokenizeWhole(word.substr(begin), ids);
}

void BpeModel::TokenizeWhole(std::string_view word, std::vector<int32_t>& ids) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    int32_t id = (raw_ ? raw_ids_ : vocab_.ids).Find(word);
    if (id >= 0) {
      ids.push_back(id);
      return;
    }
  }
  WordCache& cache = WordCache::ForThread(cache_owner_);
  bool found;
  auto cached = cache.Find(word, &found);
  if (found) {
    ids.insert(ids.end(), cached.begin(), cached.end());
    return;
  }
  thread_local std::vector<Symbol> symbols;
  symbols.clear();
  BuildSymbols(word, symbols);
  if (symbols.empty()) return;
  Merge(symbols);
  size_t before = ids.size();
  for (int32_t i = 0; i >= 0; i = symbols[i].next)
    ids.push_back(symbols[i].id);
  cache.Insert(word, std::span<const int32_t>(ids.data() + before, ids.size() - before));
}

}  // namespace

Expected<std::unique_ptr<Model>> MakeBpeModel(json::Object spec, const std::string& path) {
  auto model = std::make_unique<BpeModel>();
  if (auto s = model->Load(spec, path); !s) return std::unexpected(s.error());
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace servebench::tokenizer
