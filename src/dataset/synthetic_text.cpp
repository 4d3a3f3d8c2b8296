#include "dataset/synthetic_text.h"

namespace servebench::dataset {

size_t SpecialTokensPerSequence(const TokenCodec& codec) {
  return codec.Encode("", true).size();
}

std::vector<int32_t> AllowedVocabulary(const TokenCodec& codec, bool raw) {
  std::vector<int32_t> ids;
  int32_t v = static_cast<int32_t>(codec.VocabSize());
  ids.reserve(static_cast<size_t>(v));
  for (int32_t id = 0; id < v; ++id) {
    if (raw || !codec.IsSpecial(id)) ids.push_back(id);
  }
  return ids;
}

FittedText FitToLength(const TokenCodec& codec, std::vector<int32_t> ids, int64_t target,
                       const NextId& next) {
  constexpr int kMaxRounds = 10;
  FittedText out;
  for (int round = 0; round < kMaxRounds; ++round) {
    out.text = codec.Decode(ids);
    std::vector<int32_t> encoded = codec.Encode(out.text, false);
    int64_t count = static_cast<int64_t>(encoded.size());
    out.prompt_len = count;
    if (count == target) return out;
    if (count > target) {
      encoded.resize(static_cast<size_t>(target));
    } else {
      while (static_cast<int64_t>(encoded.size()) < target)
        encoded.push_back(next());
    }
    ids = std::move(encoded);
  }
  out.text = codec.Decode(ids);
  out.prompt_len = static_cast<int64_t>(codec.Encode(out.text, false).size());
  out.on_target = out.prompt_len == target;
  return out;
}

}  // namespace servebench::dataset
