#include "dataset/token_codec.h"

namespace servebench::dataset {

std::vector<size_t> TokenCodec::CountBatch(std::span<const std::string_view> texts,
                                           bool add_special_tokens) const {
  std::vector<size_t> counts;
  counts.reserve(texts.size());
  for (std::string_view text : texts)
    counts.push_back(Encode(text, add_special_tokens).size());
  return counts;
}

}  // namespace servebench::dataset
