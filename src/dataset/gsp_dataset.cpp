#include "dataset/gsp_dataset.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "dataset/random_text.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

Status CheckOptions(const DatasetOptions& o) {
  auto positive = [](const char* flag, int64_t v) -> Status {
    if (v >= 1) return Ok();
    return MakeError("{}: expected >= 1, got {}", flag, v);
  };
  auto non_negative = [](const char* flag, int64_t v) -> Status {
    if (v >= 0) return Ok();
    return MakeError("{}: expected >= 0, got {}", flag, v);
  };
  for (Status s : {positive("--gsp-num-groups", o.gsp_num_groups),
                   positive("--gsp-prompts-per-group", o.gsp_prompts_per_group),
                   positive("--gsp-num-turns", o.gsp_num_turns),
                   non_negative("--gsp-system-prompt-len", o.gsp_system_prompt_len),
                   non_negative("--gsp-question-len", o.gsp_question_len),
                   non_negative("--gsp-output-len", o.gsp_output_len)}) {
    if (!s) return s;
  }
  if (o.gsp_range_ratio) {
    double r = *o.gsp_range_ratio;
    bool sglang = o.lengths.semantics == RangeSemantics::kSglang;
    if (!(r >= 0 && (sglang ? r <= 1 : r < 1))) {
      return MakeError("--gsp-range-ratio: expected a number in {} (range semantics {}), got {}",
                       sglang ? "[0, 1]" : "[0, 1)", sglang ? "sglang" : "vllm", r);
    }
  }
  if (o.gsp_group_distribution != "uniform" && o.gsp_group_distribution != "zipf") {
    return MakeError("--gsp-group-distribution: expected uniform or zipf, got '{}'",
                     o.gsp_group_distribution);
  }
  if (o.gsp_group_distribution == "zipf") {
    if (!o.gsp_zipf_alpha) {
      return MakeError("--gsp-zipf-alpha: required with --gsp-group-distribution zipf");
    }
    if (!std::isfinite(*o.gsp_zipf_alpha) || *o.gsp_zipf_alpha <= 0) {
      return MakeError("--gsp-zipf-alpha: expected a finite number > 0, got {}", *o.gsp_zipf_alpha);
    }
  }
  if (o.tokenize_prompt) {
    return MakeError("--tokenize-prompt: not allowed with --dataset-name generated-shared-prefix");
  }
  if (o.gsp_num_turns > 1 && !o.chat_backend) {
    return MakeError(
        "--gsp-num-turns {}: multi-turn sessions need a chat backend (openai-chat, vllm-chat, "
        "sglang-oai-chat, lmdeploy-chat, ...), got --backend {}",
        o.gsp_num_turns, o.backend);
  }
  return Ok();
}

// The group of each of the G·P rows: its own under `uniform`, drawn with weight (g + 1)^-alpha
// under `zipf`.
std::vector<size_t> RowGroups(const DatasetOptions& o, load::RandomStream& dataset) {
  size_t groups = static_cast<size_t>(o.gsp_num_groups);
  size_t per_group = static_cast<size_t>(o.gsp_prompts_per_group);
  std::vector<size_t> row_group(groups * per_group);
  for (size_t k = 0; k < row_group.size(); ++k)
    row_group[k] = k / per_group;
  if (o.gsp_group_distribution == "zipf") {
    std::vector<double> cumulative(groups);
    double sum = 0;
    for (size_t g = 0; g < groups; ++g) {
      sum += std::pow(static_cast<double>(g + 1), -*o.gsp_zipf_alpha);
      cumulative[g] = sum;
    }
    for (size_t& g : row_group)
      g = dataset.WeightedChoice(cumulative);
  }
  return row_group;
}

}  // namespace

std::string MakeRoutingKeyPrefix() {
  auto now = std::chrono::system_clock::now();
  uint64_t mix = load::SplitMix64(static_cast<uint64_t>(now.time_since_epoch().count()) ^
                                  (static_cast<uint64_t>(getpid()) << 32));
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &local);
  return fmt::format("{:08x}_{}", static_cast<uint32_t>(mix), stamp);
}

Expected<DatasetResult> BuildGeneratedSharedPrefix(const DatasetOptions& o, const DatasetContext& c,
                                                   const std::string& routing_key_prefix) {
  if (auto s = CheckOptions(o); !s) return std::unexpected(s.error());
  const TokenCodec& codec = c.codec;
  std::vector<int32_t> allowed = AllowedVocabulary(codec, o.compat == Compat::kSglang);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(o.seed, load::kDatasetStream);

  // Unset ratio = fixed lengths: r = 1 under SGLang's rule, r = 0 under vLLM's.
  RangeSemantics semantics = o.lengths.semantics;
  double r = o.gsp_range_ratio.value_or(semantics == RangeSemantics::kSglang ? 1.0 : 0.0);
  size_t groups = static_cast<size_t>(o.gsp_num_groups);
  size_t rows = groups * static_cast<size_t>(o.gsp_prompts_per_group);
  size_t turns = static_cast<size_t>(o.gsp_num_turns);
  auto draw = [&](size_t n, int64_t len) {
    return SampleSide(n, len, r, semantics, LengthSide::kOutput, 0, dataset);
  };
  std::vector<int64_t> system_lens = draw(groups, o.gsp_system_prompt_len);
  std::vector<int64_t> question_lens = draw(rows * turns, o.gsp_question_len);
  std::vector<int64_t> output_lens = draw(rows, o.gsp_output_len);

  DatasetResult result;
  DropReport& report = result.report;
  report.requested = rows;
  report.read = rows;
  report.examined = rows;
  // Fast prepare skips every tokenization of the prompts, the fit's included.
  FitRule fit = o.gsp_fast_prepare ? FitRule::kNone : FitRuleFor(o.compat);
  auto text = [&](int64_t n) {
    FittedText t = DrawSyntheticText(codec, allowed, n, fit, dataset);
    if (!t.on_target) ++report.off_target;
    return std::move(t.text);
  };
  std::vector<std::string> system_prompts(groups);
  for (size_t g = 0; g < groups; ++g)
    system_prompts[g] = text(system_lens[g]);
  std::vector<std::string> questions(rows * turns);
  for (size_t q = 0; q < questions.size(); ++q)
    questions[q] = text(question_lens[q]);
  std::vector<size_t> row_group = RowGroups(o, dataset);

  std::vector<std::string> first_turns(rows);
  for (size_t k = 0; k < rows; ++k)
    first_turns[k] = system_prompts[row_group[k]] + "\n\n" + questions[k * turns];
  std::vector<size_t> counts;
  if (!o.gsp_fast_prepare) {
    std::vector<std::string_view> views(first_turns.begin(), first_turns.end());
    counts = codec.CountBatch(views, true);
  }

  result.rows.reserve(rows);
  for (size_t k = 0; k < rows; ++k) {
    size_t g = row_group[k];
    WorkloadRow row;
    row.prompt_len = o.gsp_fast_prepare ? 1 : static_cast<int64_t>(counts[k]);
    row.text_prompt_len = row.prompt_len;
    row.output_len = output_lens[k];
    row.system_prompt = system_prompts[g];
    if (o.gsp_send_routing_key) row.routing_key = fmt::format("{}_{}", routing_key_prefix, g);
    if (turns == 1) {
      row.prompt_text = std::move(first_turns[k]);
    } else {
      row.rounds.push_back({std::move(first_turns[k]), output_lens[k], ""});
      for (size_t t = 1; t < turns; ++t)
        row.rounds.push_back({questions[k * turns + t], output_lens[k], ""});
    }
    result.rows.push_back(std::move(row));
  }
  if (!o.gsp_ordered) dataset.Shuffle(std::span<WorkloadRow>(result.rows));
  if (o.gsp_fast_prepare) {
    report.warnings.push_back(
        "--gsp-fast-prepare: prompts are not tokenized; prompt_len is 1 for every request, so "
        "input-token figures are meaningless");
  }
  return result;
}

}  // namespace servebench::dataset
