// WordPiece (BERT): greedy longest-prefix match, continuation pieces spelled with a prefix
// ("##"); a word with any unmatched part is the unknown token as a whole. Also WordLevel: whole
// words looked up as they are.
#include "tokenizer/model.h"
#include "tokenizer/unicode.h"
#include "tokenizer/vocab.h"

namespace servebench::tokenizer {

namespace {

// The vocabulary lookups both models share.
class VocabModel : public Model {
 public:
  explicit VocabModel(Vocab vocab) : vocab_(std::move(vocab)) {}
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    return vocab_.Id(token);
  }
  std::optional<std::string_view> IdToToken(int32_t id) const override { return vocab_.Token(id); }
  size_t VocabSize() const override { return vocab_.tokens.size(); }

 protected:
  Vocab vocab_;
};

class WordPieceModel : public VocabModel {
 public:
  WordPieceModel(Vocab vocab, int32_t unk_id, std::string prefix, size_t max_chars)
      : VocabModel(std::move(vocab)),
        unk_id_(unk_id),
        prefix_(std::move(prefix)),
        max_chars_(max_chars) {}

  void Tokenize(std::string_view word, std::vector<int32_t>& ids) const override {
    size_t chars = 0;
    for (char c : word)
      chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (chars > max_chars_) {
      ids.push_back(unk_id_);
      return;
    }
    size_t before = ids.size();
    std::string key;
    size_t start = 0;
    while (start < word.size()) {
      size_t end = word.size();
      int32_t found = -1;
      while (start < end) {
        key.clear();
        if (start > 0) key += prefix_;
        key.append(word.substr(start, end - start));
        found = vocab_.ids.Find(key);
        if (found >= 0) break;
        do {
          --end;
        } while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80);
      }
      if (found < 0) {
        ids.resize(before);
        ids.push_back(unk_id_);
        return;
      }
      ids.push_back(found);
      start = end;
    }
  }

 private:
  int32_t unk_id_;
  std::string prefix_;
  size_t max_chars_;
};

class WordLevelModel : public VocabModel {
 public:
  WordLevelModel(Vocab vocab, int32_t unk_id) : VocabModel(std::move(vocab)), unk_id_(unk_id) {}
  void Tokenize(std::string_view word, std::vector<int32_t>& ids) const override {
    int32_t id = vocab_.ids.Find(word);
    ids.push_back(id >= 0 ? id : unk_id_);
  }

 private:
  int32_t unk_id_;
};

// The vocabulary and the id of the unknown token, which these models require.
Expected<std::pair<Vocab, int32_t>> VocabAndUnk(json::Object spec, const std::string& path,
                                                std::string_view default_unk) {
  auto vocab_spec = json::Require(spec, "vocab", path);
  if (!vocab_spec) return std::unexpected(vocab_spec.error());
  auto vocab = ReadVocabObject(*vocab_spec, json::Child(path, "vocab"));
  if (!vocab) return std::unexpected(vocab.error());
  auto unk = json::OptString(spec, "unk_token", path);
  if (!unk) return std::unexpected(unk.error());
  std::string_view unk_token = unk->value_or(default_unk);
  auto unk_id = vocab->Id(unk_token);
  if (!unk_id) {
    return MakeError("{}.unk_token: \"{}\" is not in the vocabulary", path, unk_token);
  }
  return std::pair<Vocab, int32_t>(std::move(*vocab), *unk_id);
}

}  // namespace

Expected<std::unique_ptr<Model>> MakeWordPieceModel(json::Object spec, const std::string& path) {
  auto vocab = VocabAndUnk(spec, path, "[UNK]");
  if (!vocab) return std::unexpected(vocab.error());
  auto prefix = json::OptString(spec, "continuing_subword_prefix", path);
  if (!prefix) return std::unexpected(prefix.error());
  auto max_chars = json::Int(spec, "max_input_chars_per_word", 100, path);
  if (!max_chars) return std::unexpected(max_chars.error());
  return std::unique_ptr<Model>(std::make_unique<WordPieceModel>(
      std::move(vocab->first), vocab->second, std::string(prefix->value_or("##")),
      static_cast<size_t>(std::max<int64_t>(*max_chars, 0))));
}

Expected<std::unique_ptr<Model>> MakeWordLevelModel(json::Object spec, const std::string& path) {
  auto vocab = VocabAndUnk(spec, path, "<unk>");
  if (!vocab) return std::unexpected(vocab.error());
  return std::unique_ptr<Model>(
      std::make_unique<WordLevelModel>(std::move(vocab->first), vocab->second));
}

}  // namespace servebench::tokenizer
