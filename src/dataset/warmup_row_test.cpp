#include "dataset/warmup_row.h"

#include <gtest/gtest.h>

namespace servebench::dataset {
namespace {

TEST(WarmupRow, GspSendsTheSystemPromptOnly) {
  WorkloadRow row;
  row.prompt_text = "system\n\nquestion";
  row.system_prompt = "system";
  row.output_len = 40;
  row.images = {"data:image/png;base64,AA"};
  WorkloadRow warm = WarmupRow(row);
  EXPECT_EQ(warm.prompt_text, "system");
  EXPECT_EQ(warm.output_len, 40);
  EXPECT_EQ(warm.images, row.images);
}

TEST(WarmupRow, MooncakeSendsItsWarmupPromptAsTheRowDoes) {
  WorkloadRow chat;
  chat.messages = {{"user", "Round 1: 7hi"}};
  chat.warmup_prompt = "7hi hi hi";
  WorkloadRow warm = WarmupRow(chat);
  ASSERT_EQ(warm.messages.size(), 1u);
  EXPECT_EQ(warm.messages[0].content, "7hi hi hi");
  WorkloadRow text;
  text.prompt_text = "user: Round 1: 7hi";
  text.warmup_prompt = "7hi hi hi";
  EXPECT_EQ(WarmupRow(text).prompt_text, "7hi hi hi");
}

TEST(WarmupRow, OtherRowsAreUnchanged) {
  WorkloadRow row;
  row.prompt_text = "hello";
  row.output_len = 3;
  WorkloadRow warm = WarmupRow(row);
  EXPECT_EQ(warm.prompt_text, "hello");
  EXPECT_EQ(warm.output_len, 3);
}

}  // namespace
}  // namespace servebench::dataset
