#include "dataset/dataset.h"

#include <gtest/gtest.h>

#include "dataset/fake_codec.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

TEST(DatasetName, KnownNamesRoundTripAndUnknownNamesListTheKnownOnes) {
  for (std::string_view name :
       {"sharegpt", "random", "random-ids", "generated-shared-prefix", "image", "mmmu", "mooncake",
        "custom", "openai", "burstgpt", "sonnet", "prefix_repetition"}) {
    auto kind = ParseDatasetName(name);
    ASSERT_TRUE(kind.has_value()) << name;
    EXPECT_EQ(DatasetName(*kind), name);
  }
  auto bad = ParseDatasetName("random-text");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("--dataset-name: unknown dataset 'random-text'"),
            std::string::npos);
  EXPECT_NE(bad.error().message.find("prefix_repetition"), std::string::npos);
}

TEST(DropReport, CountsPerReasonInFirstSeenOrder) {
  DropReport report;
  EXPECT_EQ(report.DropSummary(), "none");
  report.Drop("prompt_len < 2");
  report.Drop("output_len < 2", 3);
  report.Drop("prompt_len < 2");
  EXPECT_EQ(report.DroppedTotal(), 5u);
  EXPECT_EQ(report.DropSummary(), "2 prompt_len < 2, 3 output_len < 2");
}

DatasetOptions RandomIds(size_t n) {
  DatasetOptions o;
  o.kind = DatasetKind::kRandomIds;
  o.num_prompts = n;
  o.lengths.input_len = 5;
  o.lengths.output_len = 3;
  return o;
}

TEST(BuildDataset, RandomIdsGoesThroughTheDispatcher) {
  FakeCodec codec;
  auto built = BuildDataset(RandomIds(7), {codec});
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->rows.size(), 7u);
  EXPECT_EQ(built->report.requested, 7u);
  EXPECT_TRUE(built->report.warnings.empty());
  for (const WorkloadRow& row : built->rows) {
    EXPECT_FALSE(row.prompt_text.empty());
    EXPECT_GE(row.output_len, 1);
  }
}

TEST(BuildDataset, RandomIdsRefusesAFile) {
  FakeCodec codec;
  DatasetOptions o = RandomIds(2);
  o.path = "/tmp/x.json";
  auto built = BuildDataset(o, {codec});
  ASSERT_FALSE(built.has_value());
  EXPECT_EQ(built.error().message, "--dataset-path: random-ids takes no file");
}

TEST(BuildDataset, NumPromptsBelowOneIsRefused) {
  FakeCodec codec;
  auto built = BuildDataset(RandomIds(0), {codec});
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message.find("--num-prompts"), std::string::npos);
}

}  // namespace
}  // namespace servebench::dataset
