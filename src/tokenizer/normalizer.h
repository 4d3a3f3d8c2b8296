// Normalizers of tokenizer.json ("normalizer"): rewrite a piece of text before pre-tokenization.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tokenizer/json.h"

namespace servebench::tokenizer {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  // Rewrites `text` (valid UTF-8) in place.
  virtual void Apply(std::string& text) const = 0;
};

// Builds the normalizer described at `path` (e.g. "normalizer"); an unknown or malformed one is an
// error naming the field.
Expected<std::unique_ptr<Normalizer>> MakeNormalizer(json::Element spec, const std::string& path);

}  // namespace servebench::tokenizer
