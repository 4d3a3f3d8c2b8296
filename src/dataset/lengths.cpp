#include "dataset/lengths.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace servebench::dataset {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool ParseNumber(std::string_view text, double& out) {
  text = Trim(text);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// The number after "key": inside a flat JSON object, e.g. {"input": 0.1, "output": 0.2}.
bool JsonNumberField(std::string_view object, std::string_view key, double& out) {
  std::string quoted = "\"" + std::string(key) + "\"";
  size_t at = object.find(quoted);
  if (at == std::string_view::npos) return false;
  size_t colon = object.find(':', at + quoted.size());
  if (colon == std::string_view::npos) return false;
  size_t end = object.find_first_of(",}", colon + 1);
  if (end == std::string_view::npos) return false;
  return ParseNumber(object.substr(colon + 1, end - colon - 1), out);
}

Status CheckRatio(double r, RangeSemantics semantics, std::string_view value) {
  bool ok = semantics == RangeSemantics::kSglang ? (r >= 0 && r <= 1) : (r >= 0 && r < 1);
  if (ok) return Ok();
  return MakeError("--random-range-ratio: expected a number in {} (range semantics {}), got '{}'",
                   semantics == RangeSemantics::kSglang ? "[0, 1]" : "[0, 1)",
                   semantics == RangeSemantics::kSglang ? "sglang" : "vllm", value);
}

int64_t Draw(load::RandomStream& stream, int64_t lo, int64_t hi) {
  return stream.UniformInt(lo, std::max(lo, hi));
}

}  // namespace

Expected<RangeSemantics> ParseRangeSemantics(std::string_view value) {
  if (value == "sglang") return RangeSemantics::kSglang;
  if (value == "vllm") return RangeSemantics::kVllm;
  return MakeError("--range-semantics: expected sglang or vllm, got '{}'", value);
}

Expected<RangeRatio> ParseRangeRatio(std::string_view value, RangeSemantics semantics) {
  std::string_view text = Trim(value);
  RangeRatio ratio;
  if (!text.empty() && text.front() == '{') {
    if (semantics != RangeSemantics::kVllm) {
      return MakeError(
          "--random-range-ratio: the {{\"input\", \"output\"}} form needs "
          "--range-semantics vllm, got '{}'",
          value);
    }
    if (text.back() != '}' || !JsonNumberField(text, "input", ratio.input) ||
        !JsonNumberField(text, "output", ratio.output)) {
      return MakeError("--random-range-ratio: expected {{\"input\": a, \"output\": b}}, got '{}'",
                       value);
    }
  } else {
    double r = 0;
    if (!ParseNumber(text, r)) {
      return MakeError("--random-range-ratio: expected a number, got '{}'", value);
    }
    ratio.input = ratio.output = r;
  }
  if (auto s = CheckRatio(ratio.input, semantics, value); !s) return std::unexpected(s.error());
  if (auto s = CheckRatio(ratio.output, semantics, value); !s) return std::unexpected(s.error());
  return ratio;
}

std::vector<int64_t> SampleSide(size_t n, int64_t len, double r, RangeSemantics semantics,
                                LengthSide side, int64_t special_tokens,
                                load::RandomStream& dataset) {
  std::vector<int64_t> out(n);
  int64_t lo = 0, hi = 0;
  if (semantics == RangeSemantics::kSglang) {
    if (len == 0) return out;
    lo = std::max<int64_t>(static_cast<int64_t>(std::floor(len * r)), 1);
    hi = len;
  } else if (side == LengthSide::kInput) {
    double in = static_cast<double>(std::max<int64_t>(0, len - special_tokens));
    lo = static_cast<int64_t>(std::floor(in * (1 - r)));
    hi = static_cast<int64_t>(std::ceil(in * (1 + r)));
  } else {
    double l = static_cast<double>(len);
    lo = std::max<int64_t>(static_cast<int64_t>(std::floor(l * (1 - r))), 1);
    hi = std::max<int64_t>(static_cast<int64_t>(std::ceil(l * (1 + r))), 1);
  }
  for (int64_t& v : out)
    v = Draw(dataset, lo, hi);
  return out;
}

Expected<SampledLengths> SampleLengths(size_t n, const LengthOptions& o,
                                       load::RandomStream& dataset) {
  if (o.input_len < 0) return MakeError("--random-input-len: expected >= 0, got {}", o.input_len);
  if (o.output_len < 0) {
    return MakeError("--random-output-len: expected >= 0, got {}", o.output_len);
  }
  SampledLengths out;
  out.input = SampleSide(n, o.input_len, o.ratio.input, o.semantics, LengthSide::kInput,
                         o.special_tokens, dataset);
  out.output = SampleSide(n, o.output_len, o.ratio.output, o.semantics, LengthSide::kOutput,
                          o.special_tokens, dataset);
  if (o.semantics == RangeSemantics::kSglang && o.text_mode) {
    for (int64_t& v : out.input)
      v = std::max<int64_t>(1, v - o.special_tokens);
  }
  return out;
}

}  // namespace servebench::dataset
