#include "tokenizer/model.h"

namespace servebench::tokenizer {

Expected<std::unique_ptr<Model>> MakeModel(json::Element spec, const std::string& path) {
  auto o = json::AsObject(spec, path);
  if (!o) return std::unexpected(o.error());
  auto type = json::OptString(*o, "type", path);
  if (!type) return std::unexpected(type.error());
  // Old files leave out the type of a BPE model.
  std::string_view t = type->value_or(json::Field(*o, "merges") ? "BPE" : "");
  if (t == "BPE") return MakeBpeModel(*o, path);
  if (t == "Unigram") return MakeUnigramModel(*o, path);
  if (t == "WordPiece") return MakeWordPieceModel(*o, path);
  if (t == "WordLevel") return MakeWordLevelModel(*o, path);
  return MakeError(
      "{}.type: unsupported model '{}' (expected BPE, Unigram, WordPiece or WordLevel)", path, t);
}

}  // namespace servebench::tokenizer
