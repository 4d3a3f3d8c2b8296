#include "dataset/random_dataset.h"

#include <numeric>

#include "dataset/random_text.h"
#include "dataset/sharegpt_dataset.h"
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
  } else {
    FittedText fitted = FitWithRule(codec, std::move(ids), target, o.fit, next, dataset);
    if (!fitted.on_target) ++built.off_target;
    row.prompt_text = std::move(fitted.text);
    row.prompt_len = fitted.prompt_len;
  }
  row.text_prompt_len = row.prompt_len;
  return row;
}

// Rows 0..count-1: the shared prefix, then the first L_i ids of row i's sequence
// (sequence(i, j) is its j-th id); the fit continues the same sequence.
template <typename Sequence>
void AddRows(const RandomOptions& o, const TokenCodec& codec, const std::vector<int32_t>& prefix,
             const SampledLengths& lengths, size_t count, load::RandomStream& dataset,
             BuiltRows& built, const Sequence& sequence) {
  for (size_t i = 0; i < count; ++i) {
    std::vector<int32_t> ids = prefix;
    int64_t j = 0;
    for (; j < lengths.input[i]; ++j)
      ids.push_back(sequence(i, j));
    NextId next = [&, i, j]() mutable { return sequence(i, j++); };
    built.rows.push_back(
        MakeRow(o, codec, std::move(ids), lengths.output[i], next, dataset, built));
  }
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
  AddRows(o, codec, prefix, *lengths, o.num_prompts, dataset, built, [&](size_t i, int64_t j) {
    return allowed[static_cast<size_t>(offsets[i] + static_cast<int64_t>(i) + j) % a];
  });
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
  // Row i's sequence is its source prompt repeated without end.
  AddRows(o, codec, prefix, *lengths, sources.size(), dataset, built, [&](size_t i, int64_t j) {
    return sources[i][static_cast<size_t>(j) % sources[i].size()];
  });
  return built;
}

Expected<DatasetResult> BuildRandomDataset(const DatasetOptions& o, const DatasetContext& c) {
  RandomOptions options;
  options.num_prompts = o.num_prompts;
  options.lengths = o.lengths;
  options.prefix_len = o.random_prefix_len;
  options.tokenize_prompt = o.tokenize_prompt;
  options.disable_shuffle = o.disable_shuffle;
  options.raw_vocabulary = o.compat == Compat::kSglang;
  options.encode_with_specials = o.compat == Compat::kSglang;
  options.fit = FitRuleFor(o.compat);

  DatasetResult result;
  Expected<BuiltRows> built = MakeError("");
  if (o.kind == DatasetKind::kRandomIds) {
    if (!o.path.empty()) return MakeError("--dataset-path: random-ids takes no file");
    built = BuildRandomIds(options, c.codec, o.seed);
  } else if (o.compat == Compat::kVllm) {
    // vLLM's random prompts need no source text (datasets.md §4).
    options.raw_vocabulary = false;
    built = BuildRandomIds(options, c.codec, o.seed);
  } else {
    auto prompts = LoadShareGptPrompts(o.path, SourceSettings::FromEnvironment(), result.report);
    if (!prompts) return std::unexpected(prompts.error());
    built = BuildRandom(options, c.codec, *prompts, o.seed);
  }
  if (!built) return std::unexpected(built.error());
  result.rows = std::move(built->rows);
  result.report.off_target = built->off_target;
  if (built->dropped_empty > 0) result.report.Drop("prompts of 0 tokens", built->dropped_empty);
  result.report.examined = result.rows.size() + built->dropped_empty;
  return result;
}

}  // namespace servebench::dataset
