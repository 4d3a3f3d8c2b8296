#include "metrics/request_figures.h"

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

RequestRecord WithEvents(std::vector<std::pair<int64_t, int32_t>> events) {
  RequestRecord r;
  for (auto [t, n] : events)
    r.AddTokenEvent(t, n);
  r.end_time = events.empty() ? 0 : events.back().first;
  return r;
}

TEST(ItlPerToken, ZeroTokenEventsAreSkippedAndUnknownCountsGiveOneEntry) {
  // Gaps: event 2 has 0 tokens, so event 3 (2 tokens) is measured from event 1: 30 / 2 twice;
  // event 4 has an unknown count: one entry of 5.
  RequestRecord r = WithEvents({{100, 1}, {110, 0}, {130, 2}, {135, kUnknownTokens}});
  std::vector<double> out;
  AppendItlPerToken(r, out);
  EXPECT_EQ(out, (std::vector<double>{15, 15, 5}));
  std::vector<double> per_event;
  AppendItlPerEvent(r, per_event);
  EXPECT_EQ(per_event, (std::vector<double>{10, 20, 5}));
}

TEST(ItlSglangSpecCorrection, SplitsGapsByEventTokensAndDropsEmptyEvents) {
  RequestRecord r = WithEvents({{100, 1}, {110, 0}, {130, 2}});
  MeasurementRules rules{Compat::kSglang, ApiStyle::kChat, 2.5};
  std::vector<double> out;
  AppendItl(r, rules, out);
  // The 10 ns gap of the empty event is dropped; the 20 ns gap splits in two.
  EXPECT_EQ(out, (std::vector<double>{10, 10}));
  // Without an accept length the SGLang rule stays per event.
  rules.accept_length.reset();
  out.clear();
  AppendItl(r, rules, out);
  EXPECT_EQ(out, (std::vector<double>{10, 20}));
}

TEST(ComputeFigures, TpotOnlyAboveOneOutputToken) {
  RequestRecord r = WithEvents({{10, 1}});
  r.send_time = 0;
  r.end_time = 10;
  r.output_tokens_server = 1;
  RequestFigures f = ComputeFigures(r, MeasurementRules{});
  EXPECT_EQ(f.ttft_ns, 10);
  EXPECT_EQ(f.e2e_ns, 10);
  EXPECT_FALSE(f.tpot_ns.has_value());
  r.output_tokens_server = 3;  // a non-streamed response: TTFT = E2E, TPOT 0
  EXPECT_EQ(ComputeFigures(r, MeasurementRules{}).tpot_ns, 0.0);
}

TEST(ComputeFigures, OutputTokenFallbacks) {
  RequestRecord r = WithEvents({{10, 1}, {20, 1}});
  r.output_tokens_requested = 9;
  MeasurementRules none{}, vllm{Compat::kVllm}, trt{Compat::kSglang, ApiStyle::kTrt};
  EXPECT_EQ(ComputeFigures(r, none).output_tokens, 2);  // no usage, no tokenizer: events
  EXPECT_EQ(ComputeFigures(r, vllm).output_tokens, 1);  // vLLM without tokenizer
  r.output_tokens_server = 4;
  EXPECT_EQ(ComputeFigures(r, trt).output_tokens, 9);  // SGLang trt: requested
  EXPECT_EQ(ComputeFigures(r, none).output_tokens, 4);
}

}  // namespace
}  // namespace servebench::metrics
