#include "dataset/prefix_repetition_dataset.h"

#include "dataset/random_text.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

Status CheckOptions(const DatasetOptions& o) {
  struct Flag {
    const char* name;
    int64_t value;
  };
  for (Flag f : {Flag{"--prefix-repetition-prefix-len", o.prefix_repetition_prefix_len},
                 Flag{"--prefix-repetition-suffix-len", o.prefix_repetition_suffix_len},
                 Flag{"--prefix-repetition-output-len", o.prefix_repetition_output_len}}) {
    if (f.value < 0) return MakeError("{}: expected >= 0, got {}", f.name, f.value);
  }
  int64_t k = o.prefix_repetition_num_prefixes;
  if (k < 1) return MakeError("--prefix-repetition-num-prefixes: expected >= 1, got {}", k);
  if (o.num_prompts < static_cast<size_t>(k)) {
    return MakeError(
        "--num-prompts {}: prefix_repetition needs at least one request per prefix "
        "(--prefix-repetition-num-prefixes {})",
        o.num_prompts, k);
  }
  if (!o.path.empty()) return MakeError("--dataset-path: prefix_repetition takes no file");
  if (o.tokenize_prompt) return MakeError("--tokenize-prompt: not allowed with prefix_repetition");
  return Ok();
}

}  // namespace

Expected<DatasetResult> BuildPrefixRepetition(const DatasetOptions& o, const DatasetContext& c) {
  if (auto s = CheckOptions(o); !s) return std::unexpected(s.error());
  const TokenCodec& codec = c.codec;
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(o.seed, load::kDatasetStream);
  FitRule fit = FitRuleFor(o.compat);

  DatasetResult result;
  DropReport& report = result.report;
  report.read = report.examined = o.num_prompts;
  // The fitted text's own ids (re-encoded), so prefix and suffix join as ids (§14).
  auto fitted_ids = [&](int64_t n) {
    FittedText text = DrawSyntheticText(codec, allowed, n, fit, dataset);
    if (!text.on_target) ++report.off_target;
    return codec.Encode(text.text, false);
  };
  size_t k_count = static_cast<size_t>(o.prefix_repetition_num_prefixes);
  size_t q = o.num_prompts / k_count, m = o.num_prompts % k_count;
  for (size_t k = 0; k < k_count; ++k) {
    std::vector<int32_t> prefix = fitted_ids(o.prefix_repetition_prefix_len);
    for (size_t r = 0; r < q + (k < m ? 1 : 0); ++r) {
      std::vector<int32_t> ids = prefix;
      std::vector<int32_t> suffix = fitted_ids(o.prefix_repetition_suffix_len);
      ids.insert(ids.end(), suffix.begin(), suffix.end());
      WorkloadRow row;
      row.prompt_text = codec.Decode(ids);
      row.prompt_len = static_cast<int64_t>(codec.Encode(row.prompt_text, false).size());
      row.text_prompt_len = row.prompt_len;
      row.output_len = o.prefix_repetition_output_len;
      result.rows.push_back(std::move(row));
    }
  }
  if (!o.disable_shuffle) dataset.Shuffle(std::span<WorkloadRow>(result.rows));
  return result;
}

}  // namespace servebench::dataset
