#include "tokenizer/sentencepiece_tokenizer.h"

#include <filesystem>

#include <sentencepiece_processor.h>
#include <simdjson.h>

#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/json.h"

namespace servebench::tokenizer {

namespace {

class SentencePieceTokenizer : public Tokenizer {
 public:
  Status Load(const std::string& path) {
    auto status = processor_.Load(path);
    if (!status.ok())
      return MakeError("{}: not a SentencePiece model: {}", path, status.ToString());
    auto id_or_none = [&](int id) { return id >= 0 ? std::optional<int32_t>(id) : std::nullopt; };
    special_ids_.bos = id_or_none(processor_.bos_id());
    special_ids_.eos = id_or_none(processor_.eos_id());
    special_ids_.pad = id_or_none(processor_.pad_id());
    special_ids_.unk = id_or_none(processor_.unk_id());
    auto config = std::filesystem::path(path).parent_path() / "tokenizer_config.json";
    std::error_code ec;
    if (std::filesystem::exists(config, ec)) {
      simdjson::dom::parser parser;
      auto doc = json::ParseFile(parser, config.string());
      if (!doc) return std::unexpected(doc.error());
      auto root = json::AsObject(*doc, "top level");
      if (!root) return MakeError("{}: {}", config.string(), root.error().message);
      auto bos = json::Bool(*root, "add_bos_token", true, "");
      auto eos = json::Bool(*root, "add_eos_token", false, "");
      if (!bos) return MakeError("{}: {}", config.string(), bos.error().message);
      if (!eos) return MakeError("{}: {}", config.string(), eos.error().message);
      add_bos_ = *bos;
      add_eos_ = *eos;
    }
    return Ok();
  }

  void EncodeInto(std::string_view text, bool add_special_tokens,
                  std::vector<int32_t>& ids) const override {
    std::vector<int> pieces;
    processor_.Encode(text, &pieces).IgnoreError();
    if (add_special_tokens && add_bos_ && special_ids_.bos) ids.push_back(*special_ids_.bos);
    ids.insert(ids.end(), pieces.begin(), pieces.end());
    if (add_special_tokens && add_eos_ && special_ids_.eos) ids.push_back(*special_ids_.eos);
  }
  std::string Decode(std::span<const int32_t> ids, bool skip_special_tokens) const override {
    std::vector<int> kept;
    for (int32_t id : ids) {
      if (id < 0 || id >= processor_.GetPieceSize()) continue;
      if (skip_special_tokens && IsSpecial(id)) continue;
      kept.push_back(id);
    }
    std::string text;
    processor_.Decode(kept, &text).IgnoreError();
    return text;
  }
  size_t VocabSize() const override { return static_cast<size_t>(processor_.GetPieceSize()); }
  std::optional<std::string> IdToToken(int32_t id) const override {
    if (id < 0 || id >= processor_.GetPieceSize()) return std::nullopt;
    return processor_.IdToPiece(id);
  }
  std::optional<int32_t> TokenToId(std::string_view token) const override {
    int id = processor_.PieceToId(token);
    if (id == processor_.unk_id() && processor_.IdToPiece(id) != token) return std::nullopt;
    return id;
  }
  bool IsSpecial(int32_t id) const override {
    return processor_.IsControl(id) || processor_.IsUnknown(id);
  }

 private:
  sentencepiece::SentencePieceProcessor processor_;
  bool add_bos_ = true;
  bool add_eos_ = false;
};

}  // namespace

Expected<std::unique_ptr<Tokenizer>> LoadSentencePieceTokenizer(const std::string& path) {
  auto tokenizer = std::make_unique<SentencePieceTokenizer>();
  if (auto s = tokenizer->Load(path); !s) return std::unexpected(s.error());
  return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

}  // namespace servebench::tokenizer
