#include "metrics/token_count_check.h"

#include <algorithm>
#include <cstdlib>

namespace servebench::metrics {

TokenCountCheck CheckTokenCounts(std::span<const RequestRecord> records,
                                 std::span<const RequestFigures> figures) {
  TokenCountCheck c;
  int64_t usage_sum = 0, events_sum = 0, completed = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!figures[i].success) continue;
    const RequestRecord& r = records[i];
    ++completed;
    if (!r.output_tokens_server) {
      ++c.source_retokenized;
      continue;
    }
    int64_t usage = *r.output_tokens_server;
    int64_t events = static_cast<int64_t>(r.token_events());
    ++c.source_server;
    if (r.output_tokens_retokenized && *r.output_tokens_retokenized != usage) {
      int64_t diff = std::llabs(usage - *r.output_tokens_retokenized);
      ++c.usage_vs_retokenized_mismatch;
      c.usage_vs_retokenized_abs_diff_sum += diff;
      c.usage_vs_retokenized_abs_diff_max = std::max(c.usage_vs_retokenized_abs_diff_max, diff);
    }
    if (r.ignore_eos && usage < r.output_tokens_requested) ++c.usage_short_of_requested;
    if (events != usage) ++c.events_vs_usage_mismatch;
    usage_sum += usage;
    events_sum += events;
  }
  if (events_sum > 0) {
    c.tokens_per_event_mean = static_cast<double>(usage_sum) / static_cast<double>(events_sum);
  }
  c.warn = c.usage_short_of_requested > 0 ||
           static_cast<double>(c.usage_vs_retokenized_mismatch) > 0.01 * completed;
  return c;
}

}  // namespace servebench::metrics
