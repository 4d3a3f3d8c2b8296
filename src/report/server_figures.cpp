#include "report/server_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "report/json_writer.h"

namespace servebench::report {
namespace {

constexpr std::string_view kDrafts = "vllm:spec_decode_num_drafts";
constexpr std::string_view kDraftTokens = "vllm:spec_decode_num_draft_tokens";
constexpr std::string_view kAccepted = "vllm:spec_decode_num_accepted_tokens";
constexpr std::string_view kAcceptedPerPos = "vllm:spec_decode_num_accepted_tokens_per_pos";

double Delta(const metrics::PrometheusScrape& before, const metrics::PrometheusScrape& after,
             std::string_view name, const std::map<std::string, std::string>& want = {}) {
  return metrics::SumSeries(after, name, want) - metrics::SumSeries(before, name, want);
}

// The position labels present after the phase, ordered as numbers ("10" after "9").
std::vector<std::string> Positions(const metrics::PrometheusScrape& after) {
  std::vector<std::pair<long, std::string>> found;
  for (const metrics::PrometheusSample& s : after) {
    if (!metrics::SeriesMatches(s, kAcceptedPerPos)) continue;
    auto it = s.labels.find("position");
    if (it == s.labels.end()) continue;
    std::pair<long, std::string> entry{std::strtol(it->second.c_str(), nullptr, 10), it->second};
    if (std::find(found.begin(), found.end(), entry) == found.end()) found.push_back(entry);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> positions;
  for (auto& entry : found)
    positions.push_back(std::move(entry.second));
  return positions;
}

}  // namespace

std::optional<SpecDecodeInfo> SpecDecodeFromScrapes(const metrics::PrometheusScrape& before,
                                                    const metrics::PrometheusScrape& after) {
  const double drafts = Delta(before, after, kDrafts);
  if (!(drafts > 0)) return std::nullopt;
  const double draft_tokens = Delta(before, after, kDraftTokens);
  const double accepted = Delta(before, after, kAccepted);
  SpecDecodeInfo s;
  s.num_drafts = std::llround(drafts);
  s.draft_tokens = std::llround(draft_tokens);
  s.accepted_tokens = std::llround(accepted);
  s.acceptance_length = 1 + accepted / drafts;
  s.acceptance_rate =
      draft_tokens > 0 ? 100 * accepted / draft_tokens : std::numeric_limits<double>::quiet_NaN();
  for (const std::string& position : Positions(after)) {
    s.per_position_acceptance_rates.push_back(
        Delta(before, after, kAcceptedPerPos, {{"position", position}}) / drafts);
  }
  return s;
}

std::string CounterDeltasJson(const metrics::PrometheusScrape& before,
                              const metrics::PrometheusScrape& after) {
  std::map<std::string, double> earlier;
  for (const metrics::PrometheusSample& s : before) {
    if (s.counter) earlier[s.Key()] = s.value;
  }
  JsonWriter w;
  w.BeginObject();
  for (const metrics::PrometheusSample& s : after) {
    if (!s.counter) continue;
    std::string key = s.Key();
    auto it = earlier.find(key);
    double delta = s.value - (it == earlier.end() ? 0.0 : it->second);
    if (delta != 0 && !std::isnan(delta)) w.Key(key).Double(delta);
  }
  w.EndObject();
  return w.str();
}

}  // namespace servebench::report
