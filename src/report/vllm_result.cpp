#include "report/vllm_result.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "common/local_time.h"
#include "report/json_writer.h"
#include "report/result_keys.h"

namespace servebench::report {

namespace {

constexpr double kNsPerS = 1e9;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

// Python's str() of a rate: "inf" or the float repr.
std::string RateText(double rate) {
  return std::isinf(rate) ? "inf" : PythonFloat(rate);
}

const metrics::Summary* SummaryOf(const metrics::RunMetrics& m, std::string_view metric) {
  if (metric == "ttft") return &m.ttft;
  if (metric == "tpot") return &m.tpot;
  if (metric == "itl") return &m.itl;
  if (metric == "e2el") return &m.e2e;
  return nullptr;
}

// vLLM sets its metadata pairs on the result dict right after `after_key`, then the remaining
// keys, so a metadata key equal to an earlier key replaces that key's value in place, and one
// equal to a later key takes the metadata's place with the later (vLLM's own) value. A key
// given twice keeps its first place and its last value. No key is written twice.
std::string WithMetadata(const JsonWriter& w, std::string_view after_key,
                         const std::vector<std::pair<std::string, std::string>>& metadata) {
  std::vector<JsonWriter::Member> members = w.TopLevelMembers();
  auto split = std::find_if(members.begin(), members.end(),
                            [&](const auto& m) { return m.key == after_key; });
  const size_t before = split == members.end() ? members.size() : (split - members.begin()) + 1;
  std::vector<std::pair<std::string, std::string>> pairs;  // metadata, one per key, in place
  for (const auto& [key, value] : metadata) {
    auto same =
        std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == key; });
    JsonWriter text;
    text.BeginObject().Key(key).String(value).EndObject();
    std::string member = text.str().substr(1, text.str().size() - 2);
    if (same != pairs.end()) {
      same->second = std::move(member);
    } else {
      pairs.emplace_back(key, std::move(member));
    }
  }
  auto metadata_of = [&](std::string_view key) -> const std::string* {
    for (const auto& [k, member] : pairs) {
      if (k == key) return &member;
    }
    return nullptr;
  };
  std::vector<bool> moved(members.size(), false);
  std::vector<std::string_view> out;
  for (size_t i = 0; i < before; ++i) {
    const std::string* replaced = metadata_of(members[i].key);
    out.push_back(replaced ? std::string_view(*replaced) : members[i].text);
  }
  for (const auto& [key, member] : pairs) {
    auto earlier = std::find_if(members.begin(), members.begin() + before,
                                [&](const auto& m) { return m.key == key; });
    if (earlier != members.begin() + before) continue;  // replaced in place above
    auto later = std::find_if(members.begin() + before, members.end(),
                              [&](const auto& m) { return m.key == key; });
    if (later == members.end()) {
      out.push_back(member);
    } else {
      out.push_back(later->text);
      moved[later - members.begin()] = true;
    }
  }
  for (size_t i = before; i < members.size(); ++i) {
    if (!moved[i]) out.push_back(members[i].text);
  }
  std::string result = "{";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result += ", ";
    result += out[i];
  }
  return result + "}";
}

}  // namespace

std::string RenderVllmResult(const RunInfo& info, const metrics::RunMetrics& m,
                             const VllmResultOptions& o,
                             std::span<const metrics::RequestRecord> records,
                             const metrics::MeasurementRules& rules) {
  JsonWriter w;
  w.BeginObject();
  w.Key("date").String(o.date.empty() ? info.date : o.date);
  w.Key("endpoint_type").String(info.backend);
  w.Key("backend").String(info.backend);
  w.Key("label").String(o.label.empty() ? info.backend : o.label);
  w.Key("model_id").String(info.model_id);
  w.Key("tokenizer_id").String(info.tokenizer_id);
  w.Key("num_prompts").Int(info.num_prompts);
  w.Key("request_rate");
  std::isinf(info.request_rate) ? w.String("inf") : w.Double(info.request_rate);
  w.Key("burstiness").Double(info.burstiness);
  w.Key("max_concurrency").Int(info.max_concurrency);
  if (info.ramp_up) WriteRampUpSettings(w, *info.ramp_up);
  w.Key("duration").Double(m.duration_s);
  w.Key("completed").Int(m.completed);
  w.Key("failed").Int(m.failed);
  w.Key("total_input_tokens").Int(m.total_input_tokens);
  w.Key("total_output_tokens").Int(m.total_output_tokens);
  w.Key("request_throughput").Double(m.request_throughput);
  w.Key("request_goodput").Double(m.request_goodput);
  w.Key("output_throughput").Double(m.output_throughput);
  w.Key("total_token_throughput").Double(m.total_throughput);
  w.Key("max_output_tokens_per_s").Double(m.max_output_tokens_per_s);
  w.Key("max_concurrent_requests").Int(m.max_concurrent_requests);
  if (info.ramp_up) WriteRpsChangeEvents(w, *info.ramp_up);
  if (info.spec_decode) WriteSpecDecode(w, *info.spec_decode);
  for (const std::string& metric : info.percentile_metrics) {
    const metrics::Summary* s = SummaryOf(m, metric);
    if (!s) continue;
    w.Key(fmt::format("mean_{}_ms", metric)).Double(s->mean);
    w.Key(fmt::format("median_{}_ms", metric)).Double(s->median);
    w.Key(fmt::format("std_{}_ms", metric)).Double(s->std);
    for (double p : info.percentiles) {
      w.Key(fmt::format("p{}_{}_ms", metrics::PercentileLabel(p), metric))
          .Double(metrics::PercentileOf(*s, p));
    }
  }
  if (o.save_detailed) {
    PerRequestArrays arrays(w, records, rules);
    arrays.Array("input_lens", [&](const metrics::RequestRecord&,
                                   const metrics::RequestFigures& f) { w.Int(f.input_tokens); });
    arrays.OutputLens();
    arrays.Array("start_times", [&](const metrics::RequestRecord& r, const auto&) {
      w.Double(static_cast<double>(r.send_time) / kNsPerS);
    });
    arrays.Ttfts();
    arrays.Itls();
    arrays.GeneratedTexts();
    arrays.Errors();
  }
  w.EndObject();
  return o.metadata.empty() ? w.str() : WithMetadata(w, "num_prompts", o.metadata);
}

std::string VllmResultFileName(const RunInfo& info, const VllmResultOptions& o,
                               std::string_view timestamp) {
  std::string label = o.label.empty() ? info.backend : o.label;
  std::string name;
  if (info.ramp_up) {
    name = fmt::format("{}-ramp-up-{}-{}qps-{}qps", label, info.ramp_up->strategy,
                       RateText(info.ramp_up->start_rps), RateText(info.ramp_up->end_rps));
  } else {
    name = fmt::format("{}-{}qps", label, RateText(info.request_rate));
  }
  if (info.max_concurrency) name += fmt::format("-concurrency{}", *info.max_concurrency);
  std::string_view model = info.model_id;
  if (size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  return fmt::format("{}-{}-{}.json", name, model, timestamp);
}

std::string VllmTimestamp(int64_t unix_ns) {
  return FormatLocalTime(unix_ns, "%Y%m%d-%H%M%S");
}

Status WriteVllmResultFile(const std::string& path, std::string_view object, bool append) {
  std::FILE* file = std::fopen(path.c_str(), append ? "a+b" : "wb");
  if (file == nullptr) {
    return MakeError("--save-result: cannot open {}: {}", path, std::strerror(errno));
  }
  std::string text;
  text.reserve(object.size() + 2);
  if (append && std::fseek(file, -1, SEEK_END) == 0 && std::fgetc(file) != '\n') {
    text.push_back('\n');
  }
  std::fseek(file, 0, SEEK_END);  // a read must be followed by a seek before a write
  text.append(object);
  text.push_back('\n');
  bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return MakeError("--save-result: cannot write {}: {}", path, std::strerror(errno));
  return Ok();
}

std::string DefaultOutputFileName(const RunInfo& info, std::string_view mmdd, int64_t image_count,
                                  std::string_view image_resolution) {
  bool random = info.dataset_name.rfind("random", 0) == 0;
  if (info.compat == metrics::Compat::kLmdeploy) {
    if (random) {
      return fmt::format("{}_{}_{}_{}_{}.jsonl", info.backend, mmdd, info.num_prompts,
                         info.random_input_len, info.random_output_len);
    }
    return fmt::format("{}_{}_{}_sharegpt.csv", info.backend, mmdd, info.num_prompts);
  }
  if (info.dataset_name == "image") {
    return fmt::format("{}_{}_{}_{}_{}_{}imgs_{}.jsonl", info.backend, mmdd, info.num_prompts,
                       info.random_input_len, info.random_output_len, image_count,
                       image_resolution);
  }
  if (random) {
    return fmt::format("{}_{}_{}_{}_{}.jsonl", info.backend, mmdd, info.num_prompts,
                       info.random_input_len, info.random_output_len);
  }
  return fmt::format("{}_{}_{}_{}.jsonl", info.backend, mmdd, info.num_prompts, info.dataset_name);
}

Expected<std::pair<std::string, std::string>> ParseMetadataPair(std::string_view item) {
  size_t eq = item.find('=');
  if (eq == std::string_view::npos || Trim(item.substr(0, eq)).empty()) {
    return MakeError("--metadata: expected KEY=VALUE, got '{}'", item);
  }
  return std::pair{std::string(Trim(item.substr(0, eq))), std::string(Trim(item.substr(eq + 1)))};
}

}  // namespace servebench::report
