// Figures taken from the server's own /metrics around the measured phase (spec/metrics.md §10):
// vLLM's speculative-decoding counters and the deltas of every counter that moved.
#pragma once

#include <optional>
#include <string>

#include "metrics/prometheus_text.h"
#include "report/run_info.h"

namespace servebench::report {

// From the vllm:spec_decode_* counters scraped before and after the phase: acceptance length
// 1 + Δaccepted/Δdrafts, rate 100·Δaccepted/Δdraft tokens (NaN without draft tokens) and per
// position Δaccepted_pos_k/Δdrafts, positions in numeric order. nullopt when no draft was made.
std::optional<SpecDecodeInfo> SpecDecodeFromScrapes(const metrics::PrometheusScrape& before,
                                                    const metrics::PrometheusScrape& after);

// The JSON object {"name{labels}": after − before} over the counter series that changed (a
// series absent before counts from 0), for the `server_metrics_delta` key.
std::string CounterDeltasJson(const metrics::PrometheusScrape& before,
                              const metrics::PrometheusScrape& after);

}  // namespace servebench::report
