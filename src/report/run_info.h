// What the outputs say about a run besides its aggregates: settings, identities and facts
// gathered around the measured phase. Filled by the run command; read-only for report/.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "metrics/aggregate.h"
#include "metrics/calibration.h"
#include "metrics/compat.h"
#include "metrics/goodput.h"

namespace servebench::report {

struct RpsChangeEvent {
  int64_t rps = 0;
  double time_s = 0;
};

struct RampUpInfo {
  std::string strategy;  // "linear" | "exponential"
  double start_rps = 0;
  double end_rps = 0;
  std::vector<RpsChangeEvent> rps_change_events;
};

// vLLM speculative-decoding figures from the /metrics deltas (metrics.md §10).
struct SpecDecodeInfo {
  double acceptance_rate = 0;
  double acceptance_length = 0;
  int64_t num_drafts = 0;
  int64_t draft_tokens = 0;
  int64_t accepted_tokens = 0;
  std::vector<double> per_position_acceptance_rates;
};

struct RunInfo {
  // SGLang's keys.
  std::optional<std::string> tag;
  std::string backend = "sglang";
  std::string dataset_name = "sharegpt";
  double request_rate = std::numeric_limits<double>::infinity();
  bool trace_timing = false;  // the rate prints as "trace"
  std::optional<int64_t> max_concurrency;
  std::optional<int64_t> sharegpt_output_len;
  int64_t random_input_len = 1024;
  int64_t random_output_len = 1024;
  double random_range_ratio = 0.0;
  std::optional<std::string> server_info_json;  // /server_info as fetched (raw JSON)
  std::optional<double> accept_length;

  // servebench's run settings.
  std::string servebench_version;
  std::string date;  // local ISO-8601 with offset
  int64_t start_unix_ns = 0;
  std::vector<std::string> command_line;  // secrets already replaced by ***
  metrics::Compat compat = metrics::Compat::kNone;
  uint64_t seed = 42;
  std::string model_id;
  std::string tokenizer_id;
  std::string base_url;
  std::string endpoint;
  int64_t num_prompts = 0;
  double burstiness = 1.0;
  std::optional<int64_t> closed_loop_concurrency;  // --concurrency
  bool stream = true;

  // Printing choices.
  std::vector<double> percentiles = {90, 95, 99};  // --metric-percentiles
  std::vector<std::string> percentile_metrics = {"ttft", "tpot", "itl", "e2el"};
  bool show_vision_tokens = false;  // image and mmmu datasets
  metrics::GoodputConfig goodput;

  std::optional<RampUpInfo> ramp_up;
  std::optional<SpecDecodeInfo> spec_decode;
  std::optional<std::string> server_metrics_delta_json;
  metrics::WarmupSummary warmup;
  std::optional<bool> cache_flushed;
  std::optional<metrics::Calibration> calibration;  // --calibrate (key `calibration`)
  bool interrupted = false;
};

}  // namespace servebench::report
