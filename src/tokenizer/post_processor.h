// Post-processors of tokenizer.json ("post_processor"): add the special tokens around a single
// sequence when encoding with add_special_tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tokenizer/json.h"

namespace servebench::tokenizer {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Rewrites the ids of one sequence, ids[start..], to their final form.
  virtual void Apply(std::vector<int32_t>& ids, size_t start) const = 0;
};

Expected<std::unique_ptr<PostProcessor>> MakePostProcessor(json::Element spec,
                                                           const std::string& path);

}  // namespace servebench::tokenizer
