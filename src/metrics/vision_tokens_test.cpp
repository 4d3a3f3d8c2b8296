#include "metrics/vision_tokens.h"

#include <vector>

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

RequestRecord ImageRecord(int64_t text, std::optional<int64_t> server, RequestStatus status) {
  RequestRecord r;
  r.prompt_tokens_dataset = text;
  r.prompt_tokens_server = server;
  r.status = status;
  r.vision_from_server = true;
  return r;
}

TEST(VisionTokens, ServerCountMinusTextOfSuccessfulRequests) {
  std::vector<RequestRecord> records = {
      ImageRecord(40, 1540, RequestStatus::kOk),          // 1,500 vision tokens
      ImageRecord(40, 30, RequestStatus::kOk),            // server counts fewer: 0, never negative
      ImageRecord(40, std::nullopt, RequestStatus::kOk),  // no usage: stays text only
      ImageRecord(40, 900, RequestStatus::kHttpStatus),   // failed: not estimated
  };
  RequestRecord text_only;
  text_only.prompt_tokens_dataset = 12;
  text_only.prompt_tokens_server = 20;
  records.push_back(text_only);

  VisionEstimate e = EstimateVisionTokens(records);
  EXPECT_EQ(e.estimated, 2u);
  EXPECT_EQ(e.unknown, 2u);
  EXPECT_EQ(records[0].prompt_vision_tokens, 1500);
  EXPECT_EQ(records[0].prompt_tokens_dataset, 1540);
  EXPECT_EQ(records[1].prompt_vision_tokens, 0);
  EXPECT_EQ(records[1].prompt_tokens_dataset, 40);
  EXPECT_EQ(records[2].prompt_vision_tokens, 0);
  EXPECT_EQ(records[2].prompt_tokens_dataset, 40);
  EXPECT_EQ(records[3].prompt_tokens_dataset, 40);
  EXPECT_EQ(records[4].prompt_tokens_dataset, 12);  // rows without images are never touched
  EXPECT_EQ(records[4].prompt_vision_tokens, 0);
}

TEST(VisionTokens, EstimatesOnce) {
  std::vector<RequestRecord> records = {ImageRecord(10, 110, RequestStatus::kOk)};
  EstimateVisionTokens(records);
  VisionEstimate again = EstimateVisionTokens(records);
  EXPECT_EQ(again.estimated, 0u);
  EXPECT_EQ(records[0].prompt_tokens_dataset, 110);
}

}  // namespace
}  // namespace servebench::metrics
