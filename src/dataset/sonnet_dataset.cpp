#include "dataset/sonnet_dataset.h"

#include <cmath>
#include <fstream>

#include "dataset/chat_renderer.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

constexpr std::string_view kBase = "Pick as many lines as you can from these poem lines:\n";
constexpr int kMaxRedraws = 100;

// The poem's lines, each with its newline (the last one too, when the file ends with one).
Expected<std::vector<std::string>> ReadPoem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("--dataset-path {}: cannot be read", path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < all.size()) {
    size_t end = all.find('\n', at);
    end = end == std::string::npos ? all.size() : end + 1;
    lines.push_back(all.substr(at, end - at));
    at = end;
  }
  if (lines.empty()) return MakeError("--dataset-path {}: the poem file is empty", path);
  return lines;
}

struct Rendered {
  std::string text;
  int64_t count = 0;  // with specials
};

// `text` as one user message through the template (BOS text removed), and its count.
Expected<Rendered> Render(const DatasetContext& c, const std::string& text) {
  ChatMessage user{"user", text};
  auto rendered = RenderPrompt(*c.renderer, std::span<const ChatMessage>(&user, 1));
  if (!rendered) return std::unexpected(rendered.error());
  int64_t count = static_cast<int64_t>(c.codec.Encode(*rendered, true).size());
  return Rendered{std::move(*rendered), count};
}

}  // namespace

Expected<DatasetResult> BuildSonnet(const DatasetOptions& o, const DatasetContext& c) {
  if (o.path.empty()) {
    return MakeError("--dataset-path: the sonnet dataset needs a poem file (one line a verse)");
  }
  if (o.tokenize_prompt) return MakeError("--tokenize-prompt: not allowed with sonnet");
  for (auto [flag, value] : {std::pair{"--sonnet-input-len", o.sonnet_input_len},
                             std::pair{"--sonnet-output-len", o.sonnet_output_len},
                             std::pair{"--sonnet-prefix-len", o.sonnet_prefix_len}}) {
    if (value < 0) return MakeError("{}: expected >= 0, got {}", flag, value);
  }
  if (o.sonnet_prefix_len > o.sonnet_input_len) {
    return MakeError("--sonnet-prefix-len {}: expected at most --sonnet-input-len {}",
                     o.sonnet_prefix_len, o.sonnet_input_len);
  }
  if (c.renderer == nullptr) {
    return MakeError(
        "--dataset-name sonnet: the tokenizer has no chat template, which sonnet "
        "prompts are rendered with");
  }
  auto poem = ReadPoem(o.path);
  if (!poem) return std::unexpected(poem.error());
  const std::vector<std::string>& lines = *poem;

  std::vector<std::string_view> views(lines.begin(), lines.end());
  std::vector<size_t> counts = c.codec.CountBatch(views, true);
  double total = 0;
  for (size_t n : counts)
    total += static_cast<double>(n);
  double avg = total / static_cast<double>(lines.size());
  auto base = Render(c, std::string(kBase));
  if (!base) return std::unexpected(base.error());
  int64_t base_offset = base->count;
  if (o.sonnet_input_len <= base_offset) {
    return MakeError(
        "--sonnet-input-len {}: expected more than the {} tokens of the template around the "
        "instruction",
        o.sonnet_input_len, base_offset);
  }
  auto lines_for = [&](int64_t len, int64_t at_least) {
    double n = std::round(static_cast<double>(len - base_offset) / avg);
    return std::max<int64_t>(static_cast<int64_t>(n), at_least);
  };
  int64_t input_lines = lines_for(o.sonnet_input_len, 1);
  size_t prefix_lines = static_cast<size_t>(
      std::min<int64_t>(lines_for(o.sonnet_prefix_len, 0), static_cast<int64_t>(lines.size())));
  size_t drawn_lines =
      static_cast<size_t>(std::max<int64_t>(input_lines - static_cast<int64_t>(prefix_lines), 0));
  std::string prefix(kBase);
  for (size_t i = 0; i < prefix_lines; ++i)
    prefix += lines[i];

  DatasetResult result;
  DropReport& report = result.report;
  report.source = o.path;
  report.read = lines.size();
  report.examined = lines.size();
  load::RandomStream dataset(o.seed, load::kDatasetStream);
  int64_t last = static_cast<int64_t>(lines.size()) - 1;
  for (size_t i = 0; i < o.num_prompts; ++i) {
    for (int attempt = 0;; ++attempt) {
      if (attempt == kMaxRedraws) {
        return MakeError(
            "--sonnet-input-len {}: {} draws of {} poem lines all exceeded it (the lines of {} "
            "average {:.1f} tokens)",
            o.sonnet_input_len, kMaxRedraws, input_lines, o.path, avg);
      }
      std::string text = prefix;
      for (size_t k = 0; k < drawn_lines; ++k)
        text += lines[static_cast<size_t>(dataset.UniformInt(0, last))];
      auto rendered = Render(c, text);
      if (!rendered) return std::unexpected(rendered.error());
      if (rendered->count > o.sonnet_input_len) continue;
      WorkloadRow row;
      row.prompt_text = o.chat_backend ? std::move(text) : std::move(rendered->text);
      row.prompt_len = rendered->count;
      row.text_prompt_len = rendered->count;
      row.output_len = o.sonnet_output_len;
      result.rows.push_back(std::move(row));
      break;
    }
  }
  return result;
}

}  // namespace servebench::dataset
