#include "dataset/dataset.h"

#include <array>

#include <fmt/format.h>

#include "dataset/burstgpt_dataset.h"
#include "dataset/custom_dataset.h"
#include "dataset/gsp_dataset.h"
#include "dataset/image_dataset.h"
#include "dataset/mmmu_dataset.h"
#include "dataset/mooncake_dataset.h"
#include "dataset/openai_dataset.h"
#include "dataset/prefix_repetition_dataset.h"
#include "dataset/random_dataset.h"
#include "dataset/sharegpt_dataset.h"
#include "dataset/sonnet_dataset.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

constexpr std::array<std::pair<DatasetKind, std::string_view>, 12> kDatasetNames = {{
    {DatasetKind::kShareGpt, "sharegpt"},
    {DatasetKind::kRandom, "random"},
    {DatasetKind::kRandomIds, "random-ids"},
    {DatasetKind::kGeneratedSharedPrefix, "generated-shared-prefix"},
    {DatasetKind::kImage, "image"},
    {DatasetKind::kMmmu, "mmmu"},
    {DatasetKind::kMooncake, "mooncake"},
    {DatasetKind::kCustom, "custom"},
    {DatasetKind::kOpenAi, "openai"},
    {DatasetKind::kBurstGpt, "burstgpt"},
    {DatasetKind::kSonnet, "sonnet"},
    {DatasetKind::kPrefixRepetition, "prefix_repetition"},
}};

// Fills up to the requested count by drawing rows with replacement (datasets.md §2, `oversample`
// stream), or warns that fewer rows than asked will run.
void FillOrWarn(const DatasetOptions& o, DatasetResult& result) {
  DropReport& report = result.report;
  size_t have = result.rows.size();
  if (have >= report.requested) return;
  if (o.oversample) {
    load::RandomStream stream(o.seed, load::kOversampleStream);
    result.rows.reserve(report.requested);
    while (result.rows.size() < report.requested) {
      size_t k = static_cast<size_t>(stream.UniformInt(0, static_cast<int64_t>(have) - 1));
      result.rows.push_back(result.rows[k]);
    }
    report.oversampled = report.requested - have;
    report.warnings.push_back(fmt::format(
        "--oversample: {} usable rows for --num-prompts {}; {} copies drawn with replacement "
        "(dropped: {})",
        have, report.requested, report.oversampled, report.DropSummary()));
    return;
  }
  report.warnings.push_back(fmt::format(
      "only {} usable rows for --num-prompts {}; the run sends {} (read {}, dropped: {})", have,
      report.requested, have, report.read, report.DropSummary()));
}

}  // namespace

Expected<DatasetKind> ParseDatasetName(std::string_view name) {
  std::string known;
  for (const auto& [kind, text] : kDatasetNames) {
    if (text == name) return kind;
    known += known.empty() ? "" : ", ";
    known += text;
  }
  return MakeError("--dataset-name: unknown dataset '{}' (expected one of {})", name, known);
}

std::string_view DatasetName(DatasetKind kind) {
  for (const auto& [k, text] : kDatasetNames) {
    if (k == kind) return text;
  }
  return "?";
}

void DropReport::Drop(std::string_view reason, size_t count) {
  for (auto& [r, n] : dropped) {
    if (r == reason) {
      n += count;
      return;
    }
  }
  dropped.emplace_back(std::string(reason), count);
}

size_t DropReport::DroppedTotal() const {
  size_t total = 0;
  for (const auto& [reason, n] : dropped)
    total += n;
  return total;
}

std::string DropReport::DropSummary() const {
  if (dropped.empty()) return "none";
  std::string out;
  for (const auto& [reason, n] : dropped) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", n, reason);
  }
  return out;
}

Expected<DatasetResult> BuildDataset(const DatasetOptions& o, const DatasetContext& c) {
  if (o.num_prompts < 1) return MakeError("--num-prompts: expected at least 1, got 0");
  Expected<DatasetResult> built = MakeError("");
  switch (o.kind) {
    case DatasetKind::kShareGpt:
      built = BuildShareGpt(o, c);
      break;
    case DatasetKind::kRandom:
    case DatasetKind::kRandomIds:
      built = BuildRandomDataset(o, c);
      break;
    case DatasetKind::kCustom:
      built = BuildCustom(o, c);
      break;
    case DatasetKind::kOpenAi:
      built = BuildOpenAi(o, c);
      break;
    case DatasetKind::kGeneratedSharedPrefix:
      built = BuildGeneratedSharedPrefix(o, c, MakeRoutingKeyPrefix());
      break;
    case DatasetKind::kImage:
      built = BuildImage(o, c);
      break;
    case DatasetKind::kMmmu:
      built = BuildMmmu(o, c);
      break;
    case DatasetKind::kMooncake:
      built = BuildMooncake(o, c);
      break;
    case DatasetKind::kBurstGpt:
      built = BuildBurstGpt(o, c);
      break;
    case DatasetKind::kSonnet:
      built = BuildSonnet(o, c);
      break;
    case DatasetKind::kPrefixRepetition:
      built = BuildPrefixRepetition(o, c);
      break;
  }
  if (!built) return built;
  DatasetResult& result = *built;
  if (result.report.requested == 0) result.report.requested = o.num_prompts;
  if (result.rows.empty()) {
    return MakeError("--dataset-name {}: no usable rows{} (read {}, dropped: {})",
                     DatasetName(o.kind),
                     result.report.source.empty() ? "" : " in " + result.report.source,
                     result.report.read, result.report.DropSummary());
  }
  FillOrWarn(o, result);
  return built;
}

}  // namespace servebench::dataset
