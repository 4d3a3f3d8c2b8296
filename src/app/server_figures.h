// The server-side figures of spec/metrics.md §10 taken around the measured phase: vllm
// backends' /metrics before and after (spec-decode figures, counter deltas), sglang backends'
// /server_info after (accept length). A server that does not answer costs a warning line, never
// the run.
#pragma once

#include <optional>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "metrics/prometheus_text.h"
#include "report/run_info.h"

namespace servebench::app {

// GET /metrics, for vllm backends only (nullopt for others, and on failure after a warning).
std::optional<metrics::PrometheusScrape> ScrapeServerMetrics(const Prepared& p);

// Fills spec_decode, accept_length and server_metrics_delta_json from the two scrapes.
void AddMetricsFigures(const std::optional<metrics::PrometheusScrape>& before,
                       const std::optional<metrics::PrometheusScrape>& after,
                       report::RunInfo& info);

// GET /server_info (404: /get_server_info) for sglang backends: the raw body and
// internal_states[0].avg_spec_accept_length (under decode[0] in PD mode). Empty when the
// backend is not sglang's or the server did not answer (after a warning).
struct ServerInfo {
  std::optional<std::string> json;
  std::optional<double> accept_length;
};
ServerInfo FetchServerInfo(const Prepared& p);

}  // namespace servebench::app
