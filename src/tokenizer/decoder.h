// Decoders of tokenizer.json ("decoder"): turn the tokens of some ids back into text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tokenizer/json.h"

namespace servebench::tokenizer {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // One step of the chain: rewrites the list of token strings (the final text is their
  // concatenation).
  virtual void DecodeChain(std::vector<std::string>& tokens) const = 0;
};

Expected<std::unique_ptr<Decoder>> MakeDecoder(json::Element spec, const std::string& path);

}  // namespace servebench::tokenizer
