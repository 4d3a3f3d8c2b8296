#include "metrics/prometheus_text.h"

#include <cmath>

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

constexpr std::string_view kVllmText =
    "# HELP vllm:spec_decode_num_drafts_total Number of drafts.\n"
    "# TYPE vllm:spec_decode_num_drafts counter\n"
    "vllm:spec_decode_num_drafts_total{engine=\"0\",model_name=\"m\"} 12.0\n"
    "vllm:spec_decode_num_drafts_created{engine=\"0\",model_name=\"m\"} 1.7e9\n"
    "# TYPE vllm:num_requests_running gauge\n"
    "vllm:num_requests_running{model_name=\"m\",engine=\"0\"} 3\n"
    "# TYPE vllm:spec_decode_num_accepted_tokens_per_pos counter\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"0\"} 9\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"0\",position=\"1\"} 4 1700000\n"
    "vllm:spec_decode_num_accepted_tokens_per_pos_total{engine=\"1\",position=\"0\"} 2\n";

TEST(PrometheusTextTest, ReadsSamplesLabelsAndCounterTypes) {
  auto scrape = ParsePrometheusText(kVllmText);
  ASSERT_TRUE(scrape) << scrape.error().message;
  ASSERT_EQ(scrape->size(), 6u);
  const PrometheusSample& drafts = (*scrape)[0];
  EXPECT_EQ(drafts.name, "vllm:spec_decode_num_drafts_total");
  EXPECT_EQ(drafts.value, 12.0);
  EXPECT_TRUE(drafts.counter);
  EXPECT_FALSE((*scrape)[1].counter);  // _created is a timestamp, not a count
  EXPECT_FALSE((*scrape)[2].counter);  // gauge
  // Labels come out sorted whatever their order on the line.
  EXPECT_EQ((*scrape)[2].Key(), R"(vllm:num_requests_running{engine="0",model_name="m"})");
  EXPECT_EQ((*scrape)[4].value, 4.0);  // the trailing timestamp is not the value
}

TEST(PrometheusTextTest, SumsSeriesWithOrWithoutTotalSuffixAndByLabel) {
  auto scrape = ParsePrometheusText(kVllmText);
  ASSERT_TRUE(scrape);
  EXPECT_EQ(SumSeries(*scrape, "vllm:spec_decode_num_drafts"), 12.0);
  EXPECT_EQ(SumSeries(*scrape, "vllm:spec_decode_num_drafts_total"), 12.0);
  EXPECT_EQ(SumSeries(*scrape, "vllm:spec_decode_num_accepted_tokens_per_pos", {{"position", "0"}}),
            11.0);
  EXPECT_EQ(SumSeries(*scrape, "vllm:spec_decode_num_accepted_tokens_per_pos", {{"position", "1"}}),
            4.0);
  EXPECT_EQ(SumSeries(*scrape, "vllm:spec_decode_num"), 0.0);  // a prefix is not a match
}

TEST(PrometheusTextTest, ReadsNanInfinityEscapesAndBlankLines) {
  auto scrape = ParsePrometheusText(
      "\n# a free comment\r\nx NaN\ny +Inf\nz{l=\"a\\\"b\\\\c\"} -Inf\r\nplain 1e3\n");
  ASSERT_TRUE(scrape) << scrape.error().message;
  ASSERT_EQ(scrape->size(), 4u);
  EXPECT_TRUE(std::isnan((*scrape)[0].value));
  EXPECT_EQ((*scrape)[1].value, HUGE_VAL);
  EXPECT_EQ((*scrape)[2].value, -HUGE_VAL);
  EXPECT_EQ((*scrape)[2].labels.at("l"), "a\"b\\c");
  EXPECT_EQ((*scrape)[3].Key(), "plain");
  EXPECT_EQ((*scrape)[3].value, 1000.0);
}

TEST(PrometheusTextTest, ErrorsNameTheLine) {
  auto bad_value = ParsePrometheusText("# HELP a b\na 1\nb twelve\n");
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().message, "/metrics line 3: expected a number after b, got 'twelve'");
  auto bad_label = ParsePrometheusText("a{l=1} 2\n");
  ASSERT_FALSE(bad_label);
  EXPECT_EQ(bad_label.error().message, "/metrics line 1: expected =\"…\" after label l");
  EXPECT_FALSE(ParsePrometheusText("a{l=\"x} 2\n"));
  EXPECT_FALSE(ParsePrometheusText("{l=\"x\"} 2\n"));
}

}  // namespace
}  // namespace servebench::metrics
