#include "app/run_workload.h"

#include <algorithm>
#include <cstdio>

#include "app/compat_flags.h"
#include "dataset/image_dataset.h"
#include "dataset/tokenizer_adapters.h"
#include "protocol/backend.h"

namespace servebench::app {

namespace {

Status CheckNonNegative(std::string_view flag, int64_t value) {
  if (value < 0) return MakeError("{}: expected >= 0, got {}", flag, value);
  return Ok();
}

}  // namespace

Expected<dataset::DatasetOptions> MapDatasetOptions(const RunFlags& f) {
  dataset::DatasetOptions o = f.synthetic_dataset;
  auto kind = dataset::ParseDatasetName(f.dataset_name);
  if (!kind) return std::unexpected(kind.error());
  o.kind = *kind;
  o.path = f.dataset_path;
  if (f.num_prompts < 1) {
    return MakeError("--num-prompts: expected at least 1, got {}", f.num_prompts);
  }
  o.num_prompts = static_cast<size_t>(f.num_prompts);
  o.seed = f.seed;
  if (!f.compat.empty()) {
    auto compat = ParseCompat(f.compat);
    if (!compat) return std::unexpected(compat.error());
    o.compat = *compat;
  }
  o.disable_shuffle = f.disable_shuffle;
  o.oversample = f.oversample || (o.compat == Compat::kVllm && !f.no_oversample);
  o.skip_invalid_lines = f.skip_invalid_lines;
  if (f.sharegpt_output_len && *f.sharegpt_output_len < 1) {
    return MakeError("--sharegpt-output-len: expected >= 1, got {}", *f.sharegpt_output_len);
  }
  o.sharegpt_output_len = f.sharegpt_output_len;
  if (f.sharegpt_context_len && *f.sharegpt_context_len < 1) {
    return MakeError("--sharegpt-context-len: expected >= 1, got {}", *f.sharegpt_context_len);
  }
  o.sharegpt_context_len = f.sharegpt_context_len;
  o.prompt_suffix = f.prompt_suffix;
  o.apply_chat_template = f.apply_chat_template;
  o.tokenize_prompt = f.tokenize_prompt;

  auto semantics = dataset::ParseRangeSemantics(f.range_semantics);
  if (!semantics) return std::unexpected(semantics.error());
  auto ratio = dataset::ParseRangeRatio(f.random_range_ratio, *semantics);
  if (!ratio) return std::unexpected(ratio.error());
  for (auto [flag, value] : {std::pair{"--random-input-len", f.random_input_len},
                             std::pair{"--random-output-len", f.random_output_len},
                             std::pair{"--random-prefix-len", f.random_prefix_len}}) {
    if (Status s = CheckNonNegative(flag, value); !s) return std::unexpected(s.error());
  }
  o.lengths.input_len = f.random_input_len;
  o.lengths.output_len = f.random_output_len;
  o.lengths.ratio = *ratio;
  o.lengths.semantics = *semantics;
  o.random_prefix_len = f.random_prefix_len;

  o.multi_turn = f.multi_turn;
  if (f.max_turns && *f.max_turns < 1) {
    return MakeError("--max-turns: expected >= 1, got {}", *f.max_turns);
  }
  o.max_turns = f.max_turns;

  auto backend = protocol::FindBackend(f.backend);
  if (!backend) return std::unexpected(backend.error());
  o.backend = f.backend;
  o.chat_backend = (*backend)->style == protocol::Style::kChat;
  o.image_backend = dataset::CarriesImages(f.backend);
  return o;
}

std::string TokenizerName(const RunFlags& f, const std::string& model) {
  if (!f.tokenizer.empty()) return f.tokenizer;
  if (!f.model_path.empty()) return f.model_path;
  return model;
}

Expected<Workload> BuildWorkload(const RunFlags& flags, const tokenizer::Tokenizer& tokenizer,
                                 const std::string& tokenizer_name) {
  auto options = MapDatasetOptions(flags);
  if (!options) return std::unexpected(options.error());
  dataset::TokenizerCodec codec(tokenizer);
  std::string name = !tokenizer_name.empty() ? tokenizer_name : TokenizerName(flags, flags.model);
  // --skip-tokenizer-init: no template either (it would only feed prompt counts of 0).
  std::unique_ptr<dataset::TemplateRenderer> renderer =
      flags.skip_tokenizer_init
          ? nullptr
          : dataset::LoadTemplateRenderer(name, tokenizer, ChatTemplateKwargs(flags));
  auto built = dataset::BuildDataset(*options, {codec, renderer.get(), !flags.skip_tokenizer_init});
  if (!built) return std::unexpected(built.error());
  Workload workload;
  workload.rows = std::move(built->rows);
  workload.off_target = built->report.off_target;
  workload.report = std::move(built->report);
  for (const std::string& warning : workload.report.warnings)
    std::fprintf(stderr, "servebench run: %s\n", warning.c_str());
  return workload;
}

}  // namespace servebench::app
