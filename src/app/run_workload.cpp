#include "app/run_workload.h"

#include <simdjson.h>

#include "dataset/random_dataset.h"
#include "dataset/token_codec.h"

namespace servebench::app {
namespace {

// The run's tokenizer seen through the dataset builders' interface.
class TokenizerCodec final : public dataset::TokenCodec {
 public:
  explicit TokenizerCodec(const tokenizer::Tokenizer& t) : t_(t) {
    // V: the base vocabulary ends before the first added special token at the end of the id
    // space (added tokens sit above the model's vocabulary).
    vocab_ = t_.VocabSize();
    while (vocab_ > 0 && t_.IsSpecial(static_cast<int32_t>(vocab_ - 1)))
      --vocab_;
  }
  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens) const override {
    return t_.Encode(text, add_special_tokens);
  }
  std::string Decode(std::span<const int32_t> ids) const override { return t_.Decode(ids); }
  size_t VocabSize() const override { return vocab_; }
  bool IsSpecial(int32_t id) const override { return t_.IsSpecial(id); }

 private:
  const tokenizer::Tokenizer& t_;
  size_t vocab_;
};

// The first human turn of each ShareGPT conversation with at least two turns, in file order.
Expected<std::vector<std::string>> LoadShareGptPrompts(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.load(path).get(doc); error) {
    return MakeError("--dataset-path {}: {}", path, simdjson::error_message(error));
  }
  simdjson::dom::array conversations;
  if (doc.get(conversations) != simdjson::SUCCESS) {
    return MakeError("--dataset-path {}: expected a JSON array of conversations", path);
  }
  std::vector<std::string> prompts;
  for (simdjson::dom::element item : conversations) {
    simdjson::dom::array turns;
    if (item["conversations"].get(turns) != simdjson::SUCCESS || turns.size() < 2) continue;
    std::string_view value;
    if (turns.at(0)["value"].get(value) != simdjson::SUCCESS) continue;
    prompts.emplace_back(value);
  }
  if (prompts.empty()) {
    return MakeError("--dataset-path {}: no conversation with two turns", path);
  }
  return prompts;
}

}  // namespace

Expected<Workload> BuildWorkload(const RunFlags& flags, const tokenizer::Tokenizer& tokenizer) {
  TokenizerCodec codec(tokenizer);
  auto semantics = dataset::ParseRangeSemantics(flags.range_semantics);
  if (!semantics) return std::unexpected(semantics.error());
  auto ratio = dataset::ParseRangeRatio(flags.random_range_ratio, *semantics);
  if (!ratio) return std::unexpected(ratio.error());

  dataset::RandomOptions options;
  options.num_prompts = static_cast<size_t>(flags.num_prompts);
  options.lengths.input_len = flags.random_input_len;
  options.lengths.output_len = flags.random_output_len;
  options.lengths.ratio = *ratio;
  options.lengths.semantics = *semantics;
  options.prefix_len = flags.random_prefix_len;
  options.tokenize_prompt = flags.tokenize_prompt;
  options.disable_shuffle = flags.disable_shuffle;

  Expected<dataset::BuiltRows> built = MakeError("");
  if (flags.dataset_name == "random-ids") {
    if (!flags.dataset_path.empty()) {
      return MakeError("--dataset-path: random-ids takes no file");
    }
    built = dataset::BuildRandomIds(options, codec, flags.seed);
  } else if (flags.dataset_name == "random") {
    if (flags.dataset_path.empty()) {
      return MakeError(
          "--dataset-path: the random dataset cuts prompts from a ShareGPT file; give one, or use "
          "--dataset-name random-ids");
    }
    auto prompts = LoadShareGptPrompts(flags.dataset_path);
    if (!prompts) return std::unexpected(prompts.error());
    built = dataset::BuildRandom(options, codec, *prompts, flags.seed);
  } else {
    return MakeError("--dataset-name: '{}' is not available yet (expected random or random-ids)",
                     flags.dataset_name);
  }
  if (!built) return std::unexpected(built.error());
  return Workload{std::move(built->rows), built->off_target};
}

}  // namespace servebench::app
