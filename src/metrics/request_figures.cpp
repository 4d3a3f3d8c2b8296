#include "metrics/request_figures.h"

#include <algorithm>

namespace servebench::metrics {

namespace {

// The end instant E2E is measured to (metrics.md §12, "E2E end").
int64_t EndInstant(const RequestRecord& r, Compat compat) {
  int64_t fallback = r.end_time.value_or(r.last_event_time.value_or(r.send_time));
  switch (compat) {
    case Compat::kNone:
      return fallback;
    case Compat::kSglang:
    case Compat::kLmdeploy:
      // The last event line SGLang/LMDeploy read (usually [DONE]).
      return r.ok() ? r.last_event_time.value_or(fallback) : fallback;
    case Compat::kVllm:
      return r.ok() ? r.last_token_time().value_or(fallback) : fallback;
  }
  return fallback;
}

}  // namespace

// O_i (metrics.md §12, "output tokens").
int64_t OutputTokens(const RequestRecord& r, const MeasurementRules& rules) {
  const auto& usage = r.output_tokens_server;
  const auto& retok = r.output_tokens_retokenized;
  switch (rules.compat) {
    case Compat::kNone:
      // Without usage and without a tokenizer, the token events are the best count left.
      return usage ? *usage : retok ? *retok : static_cast<int64_t>(r.token_events());
    case Compat::kVllm:
      return usage ? *usage : retok ? *retok : 1;
    case Compat::kSglang:
      switch (rules.api) {
        case ApiStyle::kSglangNative:
        case ApiStyle::kChat:
        case ApiStyle::kTgi:
          return usage.value_or(r.output_tokens_requested);
        case ApiStyle::kCompletions:
          return usage && r.usage_on_token_event ? *usage : r.output_tokens_requested;
        case ApiStyle::kTrt:
        case ApiStyle::kTruss:
          return r.output_tokens_requested;
      }
      break;
    case Compat::kLmdeploy:
      if (rules.api == ApiStyle::kChat) return usage.value_or(r.output_tokens_requested);
      return r.output_tokens_requested;
  }
  return r.output_tokens_requested;
}

RequestFigures ComputeFigures(const RequestRecord& r, const MeasurementRules& rules) {
  RequestFigures f;
  f.status = r.status;
  f.success = r.ok();
  if (f.success && rules.compat == Compat::kVllm && r.token_events() == 0) {
    // vLLM fails a stream without a valid chunk ("Never received a valid chunk to calculate
    // TTFT.").
    f.success = false;
    f.status = RequestStatus::kStreamError;
  }
  f.end = EndInstant(r, rules.compat);
  f.e2e_ns = f.end - r.send_time;
  f.sched_e2e_ns = f.end - r.scheduled_time;
  if (auto first = r.first_token_time()) {
    f.ttft_ns = *first - r.send_time;
    f.sched_ttft_ns = *first - r.scheduled_time;
  }
  f.output_tokens = OutputTokens(r, rules);
  f.input_vision_tokens = r.prompt_vision_tokens;
  f.input_tokens = r.prompt_tokens_dataset;
  if (rules.compat == Compat::kVllm && r.prompt_tokens_server) {
    f.input_tokens = *r.prompt_tokens_server;
  }
  if (f.ttft_ns && f.output_tokens > 1) {
    f.tpot_ns =
        static_cast<double>(f.e2e_ns - *f.ttft_ns) / static_cast<double>(f.output_tokens - 1);
  }
  return f;
}

void AppendItlPerEvent(const RequestRecord& r, std::vector<double>& out) {
  for (size_t k = 1; k < r.event_times.size(); ++k) {
    out.push_back(static_cast<double>(r.event_times[k] - r.event_times[k - 1]));
  }
}

void AppendItlPerToken(const RequestRecord& r, std::vector<double>& out) {
  if (r.event_times.empty()) return;
  // `anchor` is the latest earlier event that carried tokens (or an unknown count): an event
  // with 0 tokens adds nothing and the next gap is measured across it.
  int64_t anchor = r.event_times[0];
  for (size_t k = 1; k < r.event_times.size(); ++k) {
    int32_t n = r.event_tokens[k];
    if (n == 0) continue;
    double gap = static_cast<double>(r.event_times[k] - anchor);
    if (n == kUnknownTokens) {
      out.push_back(gap);
    } else {
      for (int32_t t = 0; t < n; ++t)
        out.push_back(gap / n);
    }
    anchor = r.event_times[k];
  }
}

namespace {

// SGLang's speculative-decoding correction on its OpenAI routes: each per-event gap is split in
// m equal parts, m = the event's token count; events of 0 tokens are dropped with their gap.
void AppendItlSpecCorrected(const RequestRecord& r, std::vector<double>& out) {
  for (size_t k = 1; k < r.event_times.size(); ++k) {
    double gap = static_cast<double>(r.event_times[k] - r.event_times[k - 1]);
    int32_t m = r.event_tokens[k];
    if (m == kUnknownTokens) {
      out.push_back(gap);
      continue;
    }
    for (int32_t t = 0; t < m; ++t)
      out.push_back(gap / m);
  }
}

}  // namespace

void AppendItl(const RequestRecord& r, const MeasurementRules& rules, std::vector<double>& out) {
  if (rules.compat == Compat::kSglang) {
    if (rules.api == ApiStyle::kSglangNative) return AppendItlPerToken(r, out);
    bool openai_route = rules.api == ApiStyle::kCompletions || rules.api == ApiStyle::kChat;
    if (openai_route && rules.accept_length.value_or(0) > 0) {
      return AppendItlSpecCorrected(r, out);
    }
  }
  AppendItlPerEvent(r, out);
}

}  // namespace servebench::metrics
