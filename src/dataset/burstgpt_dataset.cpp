#include "dataset/burstgpt_dataset.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>

#include "dataset/random_text.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

struct TraceRow {
  double timestamp_s = 0;
  int64_t request_tokens = 0;
  int64_t response_tokens = 0;
};

// The columns servebench reads, by header name.
constexpr std::array<std::string_view, 4> kColumns = {"Timestamp", "Model", "Request tokens",
                                                      "Response tokens"};

std::vector<std::string_view> SplitCsv(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    size_t comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return fields;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// The GPT-4 rows with a response; every other row is counted in `report`.
Expected<std::vector<TraceRow>> ReadTrace(const std::string& path, DropReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("--dataset-path {}: cannot be read", path);
  std::string line;
  if (!std::getline(in, line)) return MakeError("{}:1: expected the BurstGPT CSV header", path);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string_view> header = SplitCsv(line);
  std::array<size_t, kColumns.size()> at{};
  for (size_t c = 0; c < kColumns.size(); ++c) {
    at[c] = header.size();
    for (size_t h = 0; h < header.size(); ++h) {
      if (header[h] == kColumns[c]) at[c] = h;
    }
    if (at[c] == header.size()) {
      return MakeError(
          "{}:1: expected a header with column '{}' (BurstGPT: Timestamp,Model,"
          "Request tokens,Response tokens,Total tokens,Log Type)",
          path, kColumns[c]);
    }
  }
  std::vector<TraceRow> rows;
  for (size_t number = 2; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++report.read;
    std::vector<std::string_view> fields = SplitCsv(line);
    if (fields.size() != header.size()) {
      return MakeError("{}:{}: expected {} comma-separated fields, got {}", path, number,
                       header.size(), fields.size());
    }
    TraceRow row;
    if (!ParseNumber(fields[at[0]], row.timestamp_s) || !std::isfinite(row.timestamp_s)) {
      return MakeError("{}:{}: field Timestamp: expected a number of seconds, got '{}'", path,
                       number, fields[at[0]]);
    }
    if (!ParseNumber(fields[at[2]], row.request_tokens) || row.request_tokens < 0) {
      return MakeError("{}:{}: field Request tokens: expected an integer >= 0, got '{}'", path,
                       number, fields[at[2]]);
    }
    if (!ParseNumber(fields[at[3]], row.response_tokens) || row.response_tokens < 0) {
      return MakeError("{}:{}: field Response tokens: expected an integer >= 0, got '{}'", path,
                       number, fields[at[3]]);
    }
    if (fields[at[1]] != "GPT-4") {
      report.Drop("Model is not GPT-4");
    } else if (row.response_tokens == 0) {
      report.Drop("Response tokens = 0");
    } else {
      rows.push_back(row);
    }
  }
  if (in.bad()) return MakeError("--dataset-path {}: read error", path);
  return rows;
}

}  // namespace

Expected<DatasetResult> BuildBurstGpt(const DatasetOptions& o, const DatasetContext& c) {
  if (o.path.empty()) {
    return MakeError("--dataset-path: the burstgpt dataset needs the BurstGPT CSV file");
  }
  if (o.tokenize_prompt) return MakeError("--tokenize-prompt: not allowed with burstgpt");
  DatasetResult result;
  DropReport& report = result.report;
  report.source = o.path;
  auto trace = ReadTrace(o.path, report);
  if (!trace) return std::unexpected(trace.error());
  report.examined = report.read;
  if (trace->empty()) return result;  // the dispatcher reports the drops

  const TokenCodec& codec = c.codec;
  bool vllm = o.compat == Compat::kVllm;
  std::vector<int32_t> allowed = AllowedVocabulary(codec, vllm);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(o.seed, load::kDatasetStream);
  std::vector<size_t> picked;
  if (o.num_prompts <= trace->size()) {
    picked = dataset.DistinctIndices(o.num_prompts, trace->size());
  } else {
    picked.resize(o.num_prompts);
    for (size_t& k : picked)
      k = static_cast<size_t>(dataset.UniformInt(0, static_cast<int64_t>(trace->size()) - 1));
  }
  FitRule fit = FitRuleFor(o.compat);
  size_t a = allowed.size();
  for (size_t k = 0; k < picked.size(); ++k) {
    const TraceRow& source = (*trace)[picked[k]];
    int64_t j = 0;
    auto next = [&] { return allowed[(k + static_cast<size_t>(j++)) % a]; };
    std::vector<int32_t> ids;
    ids.reserve(static_cast<size_t>(source.request_tokens));
    while (j < source.request_tokens)
      ids.push_back(next());
    FittedText text = FitWithRule(codec, std::move(ids), source.request_tokens, fit, next, dataset);
    if (!text.on_target) ++report.off_target;
    WorkloadRow row;
    row.prompt_text = std::move(text.text);
    row.prompt_len = text.prompt_len;
    row.text_prompt_len = row.prompt_len;
    row.output_len = source.response_tokens;
    row.timestamp_ms = source.timestamp_s * 1000.0;
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace servebench::dataset
