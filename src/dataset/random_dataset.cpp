#include "dataset/random_dataset.h"

#include <numeric>

#include "dataset/synthetic_text.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

Status CheckOptions(const RandomOptions& o) {
  if (o.num_prompts < 1) return MakeError("--num-prompts: expected >= 1, got 0");
  if (o.prefix_len < 0)
    return MakeError("--random-prefix-len: expected >= 0, got {}", o.prefix_len);
  return Ok();
}

Expected<SampledLengths> DrawLengths(const RandomOptions& o, const TokenCodec& codec,
                                     load::RandomStream& dataset) {
  LengthOptions lengths = o.lengths;
  lengths.special_tokens = static_cast<int64_t>(SpecialTokensPerSequence(codec));
  lengths.text_mode = !o.tokenize_prompt;
  return SampleLengths(o.num_prompts, lengths, dataset);
}

std::vector<int32_t> DrawPrefix(const RandomOptions& o, std::span<const int32_t> allowed,
                                load::RandomStream& dataset) {
  std::vector<int32_t> prefix(static_cast<size_t>(o.prefix_len));
  for (int32_t& id : prefix) {
    id = allowed[static_cast<size_t>(
        dataset.UniformInt(0, static_cast<int64_t>(allowed.size()) - 1))];
  }
  return prefix;
}

// Turns a row's ids (prefix included) into its prompt. `next` continues the row's own sequence.
WorkloadRow MakeRow(const RandomOptions& o, const TokenCodec& codec, std::vector<int32_t> ids,
                    int64_t output_len, const NextId& next, load::RandomStream& dataset,
                    BuiltRows& built) {
  WorkloadRow row;
  row.output_len = output_len;
  int64_t target = static_cast<int64_t>(ids.size());
  if (o.tokenize_prompt) {
    row.prompt_ids = std::move(ids);
    row.prompt_len = target;
  } else if (o.fit == FitRule::kNone) {
    row.prompt_text = codec.Decode(ids);
    row.prompt_len = target;
  } else {
    int64_t vocab = static_cast<int64_t>(codec.VocabSize());
    NextId vllm_next = [&] { return static_cast<int32_t>(dataset.UniformInt(0, vocab - 1)); };
    FittedText fitted =
        FitToLength(codec, std::move(ids), target, o.fit == FitRule::kVllm ? vllm_next : next);
    if (!fitted.on_target) ++built.off_target;
    row.prompt_text = std::move(fitted.text);
    row.prompt_len = fitted.prompt_len;
  }
  row.text_prompt_len = row.prompt_len;
  return row;
}

}  // namespace

Expected<BuiltRows> BuildRandomIds(const RandomOptions& o, const TokenCodec& codec, uint64_t seed) {
  if (auto s = CheckOptions(o); !s) return std::unexpected(s.error());
  std::vector<int32_t> allowed = AllowedVocabulary(codec, o.raw_vocabulary);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(seed, load::kDatasetStream);
  auto lengths = DrawLengths(o, codec, dataset);
  if (!lengths) return std::unexpected(lengths.error());
  int64_t vocab = static_cast<int64_t>(codec.VocabSize());
  std::vector<int64_t> offsets(o.num_prompts);
  for (int64_t& offset : offsets)
    offset = dataset.UniformInt(0, vocab - 1);
  std::vector<int32_t> prefix = DrawPrefix(o, allowed, dataset);

  BuiltRows built;
  size_t a = allowed.size();
  for (size_t i = 0; i < o.num_prompts; ++i) {
    auto id_at = [&](int64_t j) {
      return allowed[static_cast<size_t>(offsets[i] + static_cast<int64_t>(i) + j) % a];
    };
    std::vector<int32_t> ids = prefix;
    int64_t j = 0;
    for (; j < lengths->input[i]; ++j)
      ids.push_back(id_at(j));
    NextId next = [&, j]() mutable { return id_at(j++); };
    built.rows.push_back(
        MakeRow(o, codec, std::move(ids), lengths->output[i], next, dataset, built));
  }
  return built;
}

Expected<BuiltRows> BuildRandom(const RandomOptions& o, const TokenCodec& codec,
                                std::span<const std::string> source_prompts, uint64_t seed) {
  if (auto s = CheckOptions(o); !s) return std::unexpected(s.error());
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(seed, load::kDatasetStream);
  auto lengths = DrawLengths(o, codec, dataset);
  if (!lengths) return std::unexpected(lengths.error());
  std::vector<size_t> order(source_prompts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (!o.disable_shuffle) dataset.Shuffle(std::span<size_t>(order));

  BuiltRows built;
  std::vector<std::vector<int32_t>> sources;
  for (size_t k : order) {
    if (sources.size() == o.num_prompts) break;
    std::vector<int32_t> ids = codec.Encode(source_prompts[k], o.encode_with_specials);
    if (ids.empty()) {
      ++built.dropped_empty;
      continue;
    }
    sources.push_back(std::move(ids));
  }
  if (sources.empty()) {
    return MakeError(
        "--dataset-name random: no usable source prompts ({} read, {} encode to 0 "
        "tokens)",
        source_prompts.size(), built.dropped_empty);
  }
  std::vector<int32_t> prefix = DrawPrefix(o, allowed, dataset);
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::vector<int32_t>& p = sources[i];
    // The row's sequence is p repeated without end; the prompt is its first L_i ids.
    auto id_at = [&](int64_t j) { return p[static_cast<size_t>(j) % p.size()]; };
    std::vector<int32_t> ids = prefix;
    int64_t j = 0;
    for (; j < lengths->input[i]; ++j)
      ids.push_back(id_at(j));
    NextId next = [&, j]() mutable { return id_at(j++); };
    built.rows.push_back(
        MakeRow(o, codec, std::move(ids), lengths->output[i], next, dataset, built));
  }
  return built;
}

}  // namespace servebench::dataset
