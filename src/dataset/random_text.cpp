#include "dataset/random_text.h"

#include <algorithm>

namespace servebench::dataset {

namespace {

int32_t DrawId(std::span<const int32_t> allowed, load::RandomStream& dataset) {
  return allowed[static_cast<size_t>(
      dataset.UniformInt(0, static_cast<int64_t>(allowed.size()) - 1))];
}

}  // namespace

FitRule FitRuleFor(Compat compat) {
  switch (compat) {
    case Compat::kSglang:
    case Compat::kLmdeploy:
      return FitRule::kNone;
    case Compat::kVllm:
      return FitRule::kVllm;
    case Compat::kNone:
      break;
  }
  return FitRule::kExact;
}

FittedText FitWithRule(const TokenCodec& codec, std::vector<int32_t> ids, int64_t target,
                       FitRule fit, const NextId& next, load::RandomStream& dataset) {
  if (fit == FitRule::kNone) {
    FittedText out;
    out.text = codec.Decode(ids);
    out.prompt_len = target;
    return out;
  }
  if (fit == FitRule::kVllm) {
    int64_t vocab = static_cast<int64_t>(codec.VocabSize());
    return FitToLength(codec, std::move(ids), target,
                       [&] { return static_cast<int32_t>(dataset.UniformInt(0, vocab - 1)); });
  }
  return FitToLength(codec, std::move(ids), target, next);
}

std::vector<int32_t> DrawIds(std::span<const int32_t> allowed, int64_t n,
                             load::RandomStream& dataset) {
  std::vector<int32_t> ids(static_cast<size_t>(std::max<int64_t>(n, 0)));
  for (int32_t& id : ids)
    id = DrawId(allowed, dataset);
  return ids;
}

FittedText DrawSyntheticText(const TokenCodec& codec, std::span<const int32_t> allowed, int64_t n,
                             FitRule fit, load::RandomStream& dataset) {
  return FitWithRule(
      codec, DrawIds(allowed, n, dataset), n, fit, [&] { return DrawId(allowed, dataset); },
      dataset);
}

}  // namespace servebench::dataset
