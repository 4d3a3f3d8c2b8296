#include "report/server_figures.h"

#include <cmath>

#include <gtest/gtest.h>

namespace servebench::report {
namespace {

metrics::PrometheusScrape Parse(std::string_view text) {
  auto scrape = metrics::ParsePrometheusText(text);
  EXPECT_TRUE(scrape) << scrape.error().message;
  return scrape ? *scrape : metrics::PrometheusScrape{};
}

constexpr std::string_view kBefore =
    "# TYPE vllm:spec_decode_num_drafts counter\n"
    "vllm:spec_decode_num_drafts_total{engine=\"0\"} 10\n"
    "# TYPE vllm:spec_decode_num_draft_tokens counter\n"
    "vllm:spec_decode_num_draft_tokens_total{engine=\"0\"} 30\n"
    "# TYPE vllm:spec_decode_num_accepted_tokens counter\n"
    "vllm:spec_decode_num_accepted_tokens_total{engine=\"0\"} 15\n"
    "# TYPE vllm:spec_decode_num_accepted_tokens_per_pos counter\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"0\"} 10\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"1\"} 5\n"
    "# TYPE vllm:num_requests_running gauge\n"
    "vllm:num_requests_running{engine=\"0\"} 4\n";

// 8 more drafts of 3 tokens each, 10 accepted: 6 at position 0, 4 at 1, none at 2 or 10.
constexpr std::string_view kAfter =
    "# TYPE vllm:spec_decode_num_drafts counter\n"
    "vllm:spec_decode_num_drafts_total{engine=\"0\"} 18\n"
    "# TYPE vllm:spec_decode_num_draft_tokens counter\n"
    "vllm:spec_decode_num_draft_tokens_total{engine=\"0\"} 54\n"
    "# TYPE vllm:spec_decode_num_accepted_tokens counter\n"
    "vllm:spec_decode_num_accepted_tokens_total{engine=\"0\"} 25\n"
    "# TYPE vllm:spec_decode_num_accepted_tokens_per_pos counter\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"10\"} 0\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"0\"} 16\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"1\"} 9\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"2\"} 0\n"
    "# TYPE vllm:num_requests_running gauge\n"
    "vllm:num_requests_running{engine=\"0\"} 0\n";

TEST(ServerFiguresTest, SpecDecodeFromCounterDeltas) {
  auto s = SpecDecodeFromScrapes(Parse(kBefore), Parse(kAfter));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->num_drafts, 8);
  EXPECT_EQ(s->draft_tokens, 24);
  EXPECT_EQ(s->accepted_tokens, 10);
  EXPECT_DOUBLE_EQ(s->acceptance_length, 2.25);
  EXPECT_DOUBLE_EQ(s->acceptance_rate, 100.0 * 10 / 24);
  // Numeric order of positions: 0, 1, 2, 10.
  ASSERT_EQ(s->per_position_acceptance_rates.size(), 4u);
  EXPECT_DOUBLE_EQ(s->per_position_acceptance_rates[0], 0.75);
  EXPECT_DOUBLE_EQ(s->per_position_acceptance_rates[1], 0.5);
  EXPECT_DOUBLE_EQ(s->per_position_acceptance_rates[2], 0.0);
  EXPECT_DOUBLE_EQ(s->per_position_acceptance_rates[3], 0.0);
}

TEST(ServerFiguresTest, NoDraftsMeansNoSpecDecodeFigures) {
  EXPECT_FALSE(SpecDecodeFromScrapes(Parse(kAfter), Parse(kAfter)));
  EXPECT_FALSE(SpecDecodeFromScrapes({}, Parse("vllm:num_requests_running 3\n")));
}

TEST(ServerFiguresTest, CounterDeltasListOnlyCountersThatMoved) {
  EXPECT_EQ(
      CounterDeltasJson(Parse(kBefore), Parse(kAfter)),
      R"({"vllm:spec_decode_num_drafts_total{engine=\"0\"}": 8.0, )"
      R"("vllm:spec_decode_num_draft_tokens_total{engine=\"0\"}": 24.0, )"
      R"("vllm:spec_decode_num_accepted_tokens_total{engine=\"0\"}": 10.0, )"
      R"("vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"0\"}": 6.0, )"
      R"("vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"1\"}": 4.0})");
  EXPECT_EQ(CounterDeltasJson(Parse(kAfter), Parse(kAfter)), "{}");
}

}  // namespace
}  // namespace servebench::report
