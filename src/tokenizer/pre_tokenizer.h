// Pre-tokenizers of tokenizer.json ("pre_tokenizer"): split (and possibly rewrite) the pieces of
// text into the words the model tokenizes one by one.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "tokenizer/json.h"
#include "tokenizer/pieces.h"

namespace servebench::tokenizer {

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void Apply(PieceList& list) const = 0;

  // True when the last step is ByteLevel's byte-to-character mapping. The tokenizer may then
  // call SkipFinalByteMapping() and let the model read the raw bytes instead (the same result,
  // without rewriting every word).
  virtual bool EndsWithByteMapping() const { return false; }
  virtual void SkipFinalByteMapping() {}
};

Expected<std::unique_ptr<PreTokenizer>> MakePreTokenizer(json::Element spec,
                                                         const std::string& path);

}  // namespace servebench::tokenizer
