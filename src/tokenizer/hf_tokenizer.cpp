#include "tokenizer/hf_tokenizer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <simdjson.h>

#include "tokenizer/added_vocabulary.h"
#include "tokenizer/decoder.h"
#include "tokenizer/json.h"
#include "tokenizer/model.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pieces.h"
#include "tokenizer/post_processor.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/unicode.h"
#include "tokenizer/word_cache.h"

namespace servebench::tokenizer {

namespace {

class HfTokenizer : public Tokenizer {
 public:
  Status Load(json::Object root);

  void EncodeInto(std::string_view text, bool add_special_tokens,
                  std::vector<int32_t>& ids) const override;
  std::string Decode(std::span<const int32_t> ids, bool skip_special_tokens) const override;
  size_t VocabSize() const override { return vocab_size_; }
  std::optional<std::string> IdToToken(int32_t id) const override {
    if (const AddedToken* t = added_.ById(id)) return t->content;
    auto token = model_->IdToToken(id);
    return token ? std::optional<std::string>(std::string(*token)) : std::nullopt;
  }
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    if (const AddedToken* t = added_.ByContent(token)) return t->id;
    return model_->TokenToId(token);
  }
  bool IsSpecial(int32_t id) const override {
    const AddedToken* t = added_.ById(id);
    return t != nullptr && t->special;
  }
  SpecialTokenIds& mutable_special_ids() { return special_ids_; }

 private:
  // The ids of `text` before post-processing, appended to `ids`.
  void EncodeText(std::string_view text, std::vector<int32_t>& ids) const;

  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<PostProcessor> post_processor_;
  std::unique_ptr<Decoder> decoder_;
  AddedVocabulary added_;
  size_t vocab_size_ = 0;
  // Whole short texts -> ids: the client counts the tokens of tiny chunks very often.
  uint64_t text_cache_owner_ = WordCache::NewOwnerId();
  static constexpr size_t kCachedTextBytes = 16;
  static constexpr size_t kTextCacheSlots = 1 << 15;
};

Expected<std::vector<AddedToken>> ReadAddedTokens(json::Object root) {
  std::vector<AddedToken> tokens;
  auto list = json::Field(root, "added_tokens");
  if (!list) return tokens;
  auto array = json::AsArray(*list, "added_tokens");
  if (!array) return std::unexpected(array.error());
  size_t i = 0;
  for (json::Element e : *array) {
    std::string path = json::Index("added_tokens", i++);
    auto o = json::AsObject(e, path);
    if (!o) return std::unexpected(o.error());
    AddedToken t;
    auto id = json::Int(*o, "id", path);
    if (!id) return std::unexpected(id.error());
    if (*id < 0 || *id > INT32_MAX) return MakeError("{}.id: expected a non-negative id", path);
    t.id = static_cast<int32_t>(*id);
    auto content = json::String(*o, "content", path);
    if (!content) return std::unexpected(content.error());
    t.content = *content;
    for (auto [key, target, fallback] :
         {std::tuple{"special", &t.special, false}, std::tuple{"lstrip", &t.lstrip, false},
          std::tuple{"rstrip", &t.rstrip, false}, std::tuple{"normalized", &t.normalized, true},
          std::tuple{"single_word", &t.single_word, false}}) {
      auto v = json::Bool(*o, key, fallback, path);
      if (!v) return std::unexpected(v.error());
      *target = *v;
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

Status HfTokenizer::Load(json::Object root) {
  auto model_spec = json::Require(root, "model", "");
  if (!model_spec) return std::unexpected(model_spec.error());
  auto model = MakeModel(*model_spec, "model");
  if (!model) return std::unexpected(model.error());
  model_ = std::move(*model);
  if (auto spec = json::Field(root, "normalizer")) {
    auto n = MakeNormalizer(*spec, "normalizer");
    if (!n) return std::unexpected(n.error());
    normalizer_ = std::move(*n);
  }
  if (auto spec = json::Field(root, "pre_tokenizer")) {
    auto p = MakePreTokenizer(*spec, "pre_tokenizer");
    if (!p) return std::unexpected(p.error());
    pre_tokenizer_ = std::move(*p);
  }
  if (auto spec = json::Field(root, "post_processor")) {
    auto p = MakePostProcessor(*spec, "post_processor");
    if (!p) return std::unexpected(p.error());
    post_processor_ = std::move(*p);
  }
  if (auto spec = json::Field(root, "decoder")) {
    auto d = MakeDecoder(*spec, "decoder");
    if (!d) return std::unexpected(d.error());
    decoder_ = std::move(*d);
  }
  auto added = ReadAddedTokens(root);
  if (!added) return std::unexpected(added.error());
  vocab_size_ = model_->VocabSize();
  for (AddedToken& t : *added) {
    // As in HF: a token the model's vocabulary already has keeps the model's id.
    if (auto id = model_->TokenToId(t.content)) t.id = *id;
    vocab_size_ = std::max(vocab_size_, static_cast<size_t>(t.id) + 1);
  }
  added_.Build(std::move(*added), normalizer_.get());
  // Byte-level BPE: let the model read raw bytes instead of mapping every word to characters.
  if (pre_tokenizer_ && pre_tokenizer_->EndsWithByteMapping() && model_->UseRawBytes()) {
    pre_tokenizer_->SkipFinalByteMapping();
  }
  return Ok();
}

void HfTokenizer::EncodeInto(std::string_view text, bool add_special_tokens,
                             std::vector<int32_t>& ids) const {
  size_t start = ids.size();
  if (!text.empty() && text.size() <= kCachedTextBytes) {
    bool found;
    auto cached = WordCache::ForThread(text_cache_owner_, kTextCacheSlots).Find(text, &found);
    if (found) {
      ids.insert(ids.end(), cached.begin(), cached.end());
    } else {
      EncodeText(text, ids);  // uses the model's cache, which may evict ours: ask again below
      WordCache::ForThread(text_cache_owner_, kTextCacheSlots)
          .Insert(text, std::span<const int32_t>(ids.data() + start, ids.size() - start));
    }
  } else {
    EncodeText(text, ids);
  }
  if (add_special_tokens && post_processor_) post_processor_->Apply(ids, start);
}

void HfTokenizer::EncodeText(std::string_view text, std::vector<int32_t>& ids) const {
  thread_local PieceList list;
  thread_local std::string normalized;
  list.Clear();
  if (IsValidUtf8(text)) {
    list.buffer.assign(text);
  } else {
    list.buffer = Utf8Lossy(text);
  }
  if (!list.buffer.empty()) {
    Piece whole;
    whole.end = static_cast<uint32_t>(list.buffer.size());
    whole.at_start = true;
    list.pieces.push_back(whole);
  }
  added_.Split(list, /*normalized=*/false);
  if (normalizer_) {
    for (Piece& p : list.pieces) {
      if (p.added_id >= 0) continue;
      normalized.assign(list.Text(p));
      normalizer_->Apply(normalized);
      if (normalized == list.Text(p)) continue;
      p.begin = static_cast<uint32_t>(list.buffer.size());
      list.buffer += normalized;
      p.end = static_cast<uint32_t>(list.buffer.size());
    }
  }
  added_.Split(list, /*normalized=*/true);
  if (pre_tokenizer_) pre_tokenizer_->Apply(list);
  for (const Piece& p : list.pieces) {
    if (p.added_id >= 0) {
      ids.push_back(p.added_id);
    } else if (p.end > p.begin) {
      model_->Tokenize(list.Text(p), ids);
    }
  }
}

std::string HfTokenizer::Decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    if (const AddedToken* t = added_.ById(id)) {
      if (!(skip_special_tokens && t->special)) tokens.push_back(t->content);
    } else if (auto token = model_->IdToToken(id)) {
      tokens.emplace_back(*token);
    }
  }
  std::string text;
  if (decoder_) {
    decoder_->DecodeChain(tokens);
    for (const std::string& t : tokens)
      text += t;
  } else {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) text += ' ';
      text += tokens[i];
    }
  }
  return text;
}

}  // namespace

Expected<std::unique_ptr<Tokenizer>> ParseHfTokenizer(std::string_view json,
                                                      const std::string& name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  if (auto error = parser.parse(padded).get(doc)) {
    return MakeError("{}: not valid JSON: {}", name, simdjson::error_message(error));
  }
  auto root = json::AsObject(doc, "top level");
  if (!root) return MakeError("{}: {}", name, root.error().message);
  auto tokenizer = std::make_unique<HfTokenizer>();
  if (auto s = tokenizer->Load(*root); !s) return MakeError("{}: {}", name, s.error().message);
  return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

Expected<std::unique_ptr<Tokenizer>> LoadHfTokenizer(const std::string& path) {
  simdjson::padded_string contents;
  if (simdjson::padded_string::load(path).get(contents)) {
    return MakeError("{}: cannot read: {}", path, std::strerror(errno));
  }
  auto tokenizer = ParseHfTokenizer(std::string_view(contents), path);
  if (!tokenizer) return tokenizer;
  auto config = std::filesystem::path(path).parent_path() / "tokenizer_config.json";
  std::error_code ec;
  if (std::filesystem::exists(config, ec)) {
    SpecialTokenIds ids;
    if (auto s = ReadSpecialTokens(config.string(), **tokenizer, ids); !s) {
      return std::unexpected(s.error());
    }
    static_cast<HfTokenizer&>(**tokenizer).mutable_special_ids() = ids;
  }
  return tokenizer;
}

Status ReadSpecialTokens(const std::string& config_path, const Tokenizer& tokenizer,
                         SpecialTokenIds& ids) {
  simdjson::dom::parser parser;
  auto doc = json::ParseFile(parser, config_path);
  if (!doc) return std::unexpected(doc.error());
  auto root = json::AsObject(*doc, "top level");
  if (!root) return MakeError("{}: {}", config_path, root.error().message);
  for (auto [key, target] : {std::pair{"bos_token", &ids.bos}, std::pair{"eos_token", &ids.eos},
                             std::pair{"pad_token", &ids.pad}, std::pair{"unk_token", &ids.unk}}) {
    auto e = json::Field(*root, key);
    if (!e) continue;
    std::string_view content;
    json::Object o;
    if (e->get_string().get(content)) {
      if (e->get_object().get(o) || json::Field(o, "content") == std::nullopt ||
          json::Field(o, "content")->get_string().get(content)) {
        return MakeError("{}: {}: expected a string or {{\"content\": ...}}", config_path, key);
      }
    }
    *target = tokenizer.TokenToId(content);
  }
  return Ok();
}

}  // namespace servebench::tokenizer
