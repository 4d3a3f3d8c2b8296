#include "report/vllm_result.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>

#include "report/report_fixture.h"

namespace servebench::report {
namespace {

using testing::FixtureInfo;
using testing::FixtureMetrics;

TEST(VllmResult, GoldenObject) {
  RunInfo info = FixtureInfo();
  info.percentiles = {99};
  info.percentile_metrics = {"ttft", "e2el"};
  VllmResultOptions o;
  o.metadata = {{"gpu", "H100"}};
  EXPECT_EQ(RenderVllmResult(info, FixtureMetrics(), o),
            R"({"date": "2026-01-02T03:04:05+00:00", "endpoint_type": "vllm", "backend": "vllm", )"
            R"("label": "vllm", "model_id": "m", "tokenizer_id": "t", "num_prompts": 5, )"
            R"("gpu": "H100", "request_rate": 4.0, "burstiness": 1.0, "max_concurrency": null, )"
            R"("duration": 2.5, "completed": 4, "failed": 1, "total_input_tokens": 200, )"
            R"("total_output_tokens": 120, "request_throughput": 1.6, "request_goodput": null, )"
            R"("output_throughput": 48.0, "total_token_throughput": 128.0, )"
            R"("max_output_tokens_per_s": 60.0, "max_concurrent_requests": 3, )"
            R"("mean_ttft_ms": 50.0, "median_ttft_ms": 45.0, "std_ttft_ms": 10.0, )"
            R"("p99_ttft_ms": 79.0, "mean_e2el_ms": 500.0, "median_e2el_ms": 450.0, )"
            R"("std_e2el_ms": 100.0, "p99_e2el_ms": 790.0})");
}

// A metadata key equal to one of the file's own keys is written once, where Python's dict puts
// it in vLLM: an earlier key ("label") takes the metadata value in place; a later key
// ("duration") sits at the metadata's place with vLLM's value; a key given twice keeps its first
// place and its last value.
TEST(VllmResult, MetadataKeysCollideAsInVllmsDict) {
  RunInfo info = FixtureInfo();
  info.percentile_metrics = {};
  VllmResultOptions o;
  o.metadata = {{"gpu", "A100"}, {"label", "mine"}, {"duration", "9"}, {"gpu", "H100"}};
  EXPECT_EQ(RenderVllmResult(info, FixtureMetrics(), o),
            R"({"date": "2026-01-02T03:04:05+00:00", "endpoint_type": "vllm", "backend": "vllm", )"
            R"("label": "mine", "model_id": "m", "tokenizer_id": "t", "num_prompts": 5, )"
            R"("gpu": "H100", "duration": 2.5, "request_rate": 4.0, "burstiness": 1.0, )"
            R"("max_concurrency": null, "completed": 4, "failed": 1, "total_input_tokens": 200, )"
            R"("total_output_tokens": 120, "request_throughput": 1.6, "request_goodput": null, )"
            R"("output_throughput": 48.0, "total_token_throughput": 128.0, )"
            R"("max_output_tokens_per_s": 60.0, "max_concurrent_requests": 3})");
}

TEST(VllmResult, InfiniteRateRampAndDetails) {
  RunInfo info = FixtureInfo();
  info.request_rate = std::numeric_limits<double>::infinity();
  info.ramp_up = RampUpInfo{"linear", 1, 5, {{1, 0.0}}};
  info.percentile_metrics = {};
  std::vector<metrics::RequestRecord> records(1);
  records[0].send_time = 500'000'000;
  records[0].AddTokenEvent(750'000'000, 1);
  records[0].end_time = 750'000'000;
  records[0].output_tokens_server = 1;
  records[0].prompt_tokens_dataset = 9;
  VllmResultOptions o;
  o.save_detailed = true;
  std::string out = RenderVllmResult(info, FixtureMetrics(), o, records);
  EXPECT_NE(out.find(R"("request_rate": "inf", )"), std::string::npos);
  EXPECT_NE(
      out.find(
          R"("ramp_up_strategy": "linear", "ramp_up_start_rps": 1.0, "ramp_up_end_rps": 5.0, "duration")"),
      std::string::npos);
  EXPECT_NE(
      out.find(
          R"("max_concurrent_requests": 3, "rps_change_events": [{"rps": 1, "time_s": 0.0}], "input_lens": [9], "output_lens": [1], "start_times": [0.5], "ttfts": [0.25], "itls": [[]], "generated_texts": [""], "errors": [""]})"),
      std::string::npos)
      << out;
}

TEST(VllmResult, FileNames) {
  RunInfo info = FixtureInfo();
  info.model_id = "meta-llama/Llama-3.1-8B-Instruct";
  VllmResultOptions o;
  EXPECT_EQ(VllmResultFileName(info, o, "20260102-030405"),
            "vllm-4.0qps-Llama-3.1-8B-Instruct-20260102-030405.json");
  info.max_concurrency = 8;
  info.request_rate = std::numeric_limits<double>::infinity();
  o.label = "mine";
  EXPECT_EQ(VllmResultFileName(info, o, "20260102-030405"),
            "mine-infqps-concurrency8-Llama-3.1-8B-Instruct-20260102-030405.json");
  info.ramp_up = RampUpInfo{"exponential", 1, 16, {}};
  EXPECT_EQ(VllmResultFileName(info, o, "20260102-030405"),
            "mine-ramp-up-exponential-1.0qps-16.0qps-concurrency8-Llama-3.1-8B-Instruct-"
            "20260102-030405.json");
}

TEST(VllmResult, DateIsVllmsStampWhenGiven) {
  VllmResultOptions o;
  o.date = "20260102-030405";
  std::string out = RenderVllmResult(FixtureInfo(), FixtureMetrics(), o);
  EXPECT_TRUE(out.starts_with(R"({"date": "20260102-030405", "endpoint_type": "vllm", )")) << out;
}

TEST(VllmResult, TimestampIsLocalTime) {
  const int64_t unix_s = 1767323045;
  time_t seconds = unix_s;
  tm local{};
  localtime_r(&seconds, &local);
  std::string expected =
      fmt::format("{:04}{:02}{:02}-{:02}{:02}{:02}", local.tm_year + 1900, local.tm_mon + 1,
                  local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec);
  EXPECT_EQ(VllmTimestamp(unix_s * 1'000'000'000 + 999'999'999), expected);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(VllmResultFile, OverwritesOrAppendsOneObjectPerLine) {
  std::string path = ::testing::TempDir() + "vllm_result_test_" + std::to_string(getpid());
  {
    std::ofstream old(path);
    old << R"({"old": 1})";  // as vLLM leaves a file: no trailing newline
  }
  ASSERT_TRUE(WriteVllmResultFile(path, R"({"a": 1})", /*append=*/true).has_value());
  EXPECT_EQ(ReadAll(path), "{\"old\": 1}\n{\"a\": 1}\n");
  ASSERT_TRUE(WriteVllmResultFile(path, R"({"b": 2})", /*append=*/true).has_value());
  EXPECT_EQ(ReadAll(path), "{\"old\": 1}\n{\"a\": 1}\n{\"b\": 2}\n");
  ASSERT_TRUE(WriteVllmResultFile(path, R"({"c": 3})", /*append=*/false).has_value());
  EXPECT_EQ(ReadAll(path), "{\"c\": 3}\n");
  std::remove(path.c_str());
  ASSERT_TRUE(WriteVllmResultFile(path, R"({"d": 4})", /*append=*/true).has_value());
  EXPECT_EQ(ReadAll(path), "{\"d\": 4}\n");
  std::remove(path.c_str());
}

TEST(VllmResultFile, UnwritablePathIsOneLineError) {
  auto s = WriteVllmResultFile("/nonexistent-dir-for-servebench/r.json", "{}", false);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(
      s.error().message.rfind("--save-result: cannot open /nonexistent-dir-for-servebench/", 0), 0u)
      << s.error().message;
  EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
}

TEST(DefaultOutputFileName, PerDatasetAndCompat) {
  RunInfo info = FixtureInfo();  // vllm, random, 5 prompts, 100 in, 30 out
  EXPECT_EQ(DefaultOutputFileName(info, "0102", 1, "1080p"), "vllm_0102_5_100_30.jsonl");
  info.dataset_name = "image";
  EXPECT_EQ(DefaultOutputFileName(info, "0102", 2, "720p"), "vllm_0102_5_100_30_2imgs_720p.jsonl");
  info.dataset_name = "sharegpt";
  EXPECT_EQ(DefaultOutputFileName(info, "0102", 1, "1080p"), "vllm_0102_5_sharegpt.jsonl");
  info.compat = metrics::Compat::kLmdeploy;
  EXPECT_EQ(DefaultOutputFileName(info, "0102", 1, "1080p"), "vllm_0102_5_sharegpt.csv");
  info.dataset_name = "random-ids";
  EXPECT_EQ(DefaultOutputFileName(info, "0102", 1, "1080p"), "vllm_0102_5_100_30.jsonl");
}

TEST(ParseMetadataPair, SplitsAtTheFirstEquals) {
  auto pair = ParseMetadataPair(" gpu = H100=x ");
  ASSERT_TRUE(pair.has_value());
  EXPECT_EQ(pair->first, "gpu");
  EXPECT_EQ(pair->second, "H100=x");
  auto bad = ParseMetadataPair("novalue");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("--metadata"), std::string::npos);
  EXPECT_FALSE(ParseMetadataPair("=v").has_value());
}

}  // namespace
}  // namespace servebench::report
