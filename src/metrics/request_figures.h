// One request's figures under a set of measurement rules (spec/metrics.md §5 and §12): which
// instant ends it, its TTFT, E2E, TPOT, token counts and ITL entries. Every aggregate is built
// from these, so the rules of a `--compat` mode live here and nowhere else.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "metrics/compat.h"
#include "metrics/request_record.h"

namespace servebench::metrics {

struct MeasurementRules {
  Compat compat = Compat::kNone;
  ApiStyle api = ApiStyle::kCompletions;
  // The server's speculative accept length (/server_info), when known: in --compat sglang on the
  // OpenAI routes it switches ITL to SGLang's per-token correction (metrics.md §10).
  std::optional<double> accept_length;
};

struct RequestFigures {
  bool success = false;  // after the compat rule on zero-token streams
  RequestStatus status = RequestStatus::kOk;
  int64_t end = 0;  // the instant E2E ends at, ns from t0
  int64_t e2e_ns = 0;
  int64_t sched_e2e_ns = 0;
  std::optional<int64_t> ttft_ns;        // absent without token events
  std::optional<int64_t> sched_ttft_ns;  // first token - s_i
  std::optional<double> tpot_ns;         // only when O_i > 1 and there are token events
  int64_t output_tokens = 0;             // O_i
  int64_t input_tokens = 0;              // P_i
  int64_t input_vision_tokens = 0;
};

RequestFigures ComputeFigures(const RequestRecord& record, const MeasurementRules& rules);

// O_i alone (metrics.md §12): under the default rules, the server's count, else the retokenized
// one, else the token events.
int64_t OutputTokens(const RequestRecord& record, const MeasurementRules& rules);

// ITL entries in ns appended to `out`:
// per event: one entry per gap between consecutive token events;
void AppendItlPerEvent(const RequestRecord& record, std::vector<double>& out);
// per token: each gap split evenly over the event's tokens (metrics.md §5, "per token");
void AppendItlPerToken(const RequestRecord& record, std::vector<double>& out);
// the ITL entries the SGLang-named keys use under `rules` (per event, or SGLang's per-token
// views in --compat sglang).
void AppendItl(const RequestRecord& record, const MeasurementRules& rules,
               std::vector<double>& out);

}  // namespace servebench::metrics
