// Output-token reconciliation (spec/metrics.md §7, spec/beyond.md 4): how the server's usage
// count U_i, the re-tokenized count R_i and the token events E_i of the successful requests
// agree, so differences in "tokens/s" between tools can be traced to their cause.
#pragma once

#include <cstdint>
#include <span>

#include "metrics/request_figures.h"
#include "metrics/request_record.h"

namespace servebench::metrics {

struct TokenCountCheck {
  int64_t source_server = 0;                  // requests with U_i
  int64_t source_retokenized = 0;             // requests without U_i
  int64_t usage_vs_retokenized_mismatch = 0;  // U_i and R_i present and different
  int64_t usage_vs_retokenized_abs_diff_sum = 0;
  int64_t usage_vs_retokenized_abs_diff_max = 0;
  int64_t usage_short_of_requested = 0;  // ignore-EOS asked and U_i < Oreq_i
  double tokens_per_event_mean = 0;      // Σ U_i / Σ E_i over requests with U_i
  int64_t events_vs_usage_mismatch = 0;  // U_i present and E_i != U_i
  // Mismatches above 1 % of the successful requests, or any request short of ignore-EOS.
  bool warn = false;
};

// Over the records whose figures (same order) say they succeeded.
TokenCountCheck CheckTokenCounts(std::span<const RequestRecord> records,
                                 std::span<const RequestFigures> figures);

}  // namespace servebench::metrics
