// Models of tokenizer.json ("model"): turn one pre-tokenized word into ids (BPE, Unigram,
// WordPiece, WordLevel).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tokenizer/json.h"

namespace servebench::tokenizer {

class Model {
 public:
  virtual ~Model() = default;
  // Appends the ids of one word (non-empty, valid UTF-8 unless reading raw bytes).
  virtual void Tokenize(std::string_view word, std::vector<int32_t>& ids) const = 0;
  virtual std::optional<int32_t> TokenToId(std::string_view token) const = 0;
  virtual std::optional<std::string_view> IdToToken(int32_t id) const = 0;
  // One past the largest id.
  virtual size_t VocabSize() const = 0;
  // Switches the model to reading raw bytes where its vocabulary is spelled in ByteLevel's
  // characters; false when the model cannot.
  virtual bool UseRawBytes() { return false; }
};

Expected<std::unique_ptr<Model>> MakeModel(json::Element spec, const std::string& path);

// The model kinds (model.cpp dispatches on "type").
Expected<std::unique_ptr<Model>> MakeBpeModel(json::Object spec, const std::string& path);
Expected<std::unique_ptr<Model>> MakeUnigramModel(json::Object spec, const std::string& path);
Expected<std::unique_ptr<Model>> MakeWordPieceModel(json::Object spec, const std::string& path);
Expected<std::unique_ptr<Model>> MakeWordLevelModel(json::Object spec, const std::string& path);

}  // namespace servebench::tokenizer
