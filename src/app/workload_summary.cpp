#include "app/workload_summary.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <fmt/format.h>

namespace servebench::app {

namespace {

std::string Line(std::string_view label, const std::string& value) {
  return fmt::format("{:<22}{}\n", std::string(label) + ":", value);
}

// "total T  min a  mean m  median d  p99 q  max b" over `values` (not empty).
std::string Stats(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  int64_t total = std::accumulate(values.begin(), values.end(), int64_t{0});
  auto at = [&](double q) {
    // Nearest rank: the smallest value with at least q of the values at or below it.
    size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
  };
  return fmt::format("total {}  min {}  mean {:.1f}  median {}  p99 {}  max {}", total,
                     values.front(), static_cast<double>(total) / values.size(), at(0.5), at(0.99),
                     values.back());
}

}  // namespace

std::string RenderWorkloadSummary(const SummaryHeader& h, const Workload& w,
                                  const load::Schedule& schedule) {
  const dataset::DropReport& r = w.report;
  std::string out = "Dry run: the workload is ready; no request was sent.\n";
  if (!h.target.empty()) out += Line("Target", h.target);
  out +=
      Line("Dataset", r.source.empty() ? h.dataset : fmt::format("{} ({})", h.dataset, r.source));
  out += Line("Tokenizer", h.tokenizer);
  if (!h.model.empty()) out += Line("Model", h.model);
  out += Line("Records read", fmt::format("{}", r.read));
  if (r.examined > 0) out += Line("Records examined", fmt::format("{}", r.examined));
  out += Line("Dropped", fmt::format("{} ({})", r.DroppedTotal(), r.DropSummary()));
  size_t sampled = w.rows.size() - r.oversampled;
  out += Line("Sampled rows", fmt::format("{} of {} requested", sampled, r.requested));
  if (r.oversampled > 0) out += Line("Oversampled copies", fmt::format("{}", r.oversampled));
  if (r.off_target > 0) out += Line("Off-target prompts", fmt::format("{}", r.off_target));

  std::vector<int64_t> input, output;
  size_t rounds = 0, images = 0;
  for (const dataset::WorkloadRow& row : w.rows) {
    input.push_back(row.prompt_len);
    output.push_back(row.output_len);
    rounds += row.rounds.size();
    images += row.images.size();
  }
  if (rounds > 0) {
    out += Line("Sessions", fmt::format("{} ({} rounds; input lengths are of first rounds)",
                                        w.rows.size(), rounds));
  }
  if (images > 0) out += Line("Images", fmt::format("{}", images));
  out += Line("Input tokens", Stats(input));
  out += Line("Output tokens", Stats(output));
  int64_t total = std::accumulate(input.begin(), input.end(), int64_t{0}) +
                  std::accumulate(output.begin(), output.end(), int64_t{0});
  out += Line("Total tokens", fmt::format("{} (input + requested output)", total));
  if (schedule.kind == load::ScheduleKind::kClosedLoop) {
    out += Line("Schedule", fmt::format("{} requests, closed loop with {} workers", w.rows.size(),
                                        schedule.workers));
  } else {
    int64_t last = schedule.offsets_ns.empty()
                       ? 0
                       : *std::max_element(schedule.offsets_ns.begin(), schedule.offsets_ns.end());
    std::string cap = schedule.max_concurrency
                          ? fmt::format(", at most {} in flight", *schedule.max_concurrency)
                          : "";
    out +=
        Line("Schedule", fmt::format("{} requests, open loop, last send at {:.3f} s{}",
                                     schedule.order.size(), static_cast<double>(last) / 1e9, cap));
  }
  return out;
}

}  // namespace servebench::app
