#include "dataset/burstgpt_dataset.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "dataset/fake_codec.h"
#include "dataset/synthetic_text.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;

constexpr std::string_view kHeader =
    "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n";

std::string WriteCsv(const std::string& name, std::string_view body) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << body;
  return path;
}

Expected<DatasetResult> Build(const std::string& path, size_t n, Compat compat = Compat::kNone) {
  static FakeCodec codec;
  DatasetOptions o;
  o.kind = DatasetKind::kBurstGpt;
  o.path = path;
  o.num_prompts = n;
  o.compat = compat;
  return BuildBurstGpt(o, DatasetContext{codec});
}

TEST(BurstGpt, KeepsGpt4RowsWithResponsesAndTheirTimes) {
  std::string path = WriteCsv("burst1.csv", std::string(kHeader) +
                                                "5,ChatGPT,10,20,30,Conversation log\n"
                                                "6,GPT-4,7,3,10,Conversation log\n"
                                                "7.25,GPT-4,9,0,9,API log\n"
                                                "8,GPT-4,4,2,6,API log\n");
  auto built = Build(path, 2);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 2u);
  EXPECT_EQ(built->report.read, 4u);
  EXPECT_EQ(built->report.DropSummary(), "1 Model is not GPT-4, 1 Response tokens = 0");
  std::set<double> times;
  FakeCodec codec;
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  for (size_t k = 0; k < 2; ++k) {
    const WorkloadRow& row = built->rows[k];
    times.insert(*row.timestamp_ms);
    int64_t input = *row.timestamp_ms == 6000 ? 7 : 4;
    EXPECT_EQ(row.output_len, input == 7 ? 3 : 2);
    EXPECT_EQ(row.prompt_len, input);  // fitted to the request size
    EXPECT_EQ(static_cast<int64_t>(codec.Encode(row.prompt_text, false).size()), input);
    // Row k starts at A[k] ("a" is id 2 = A[0]).
    EXPECT_EQ(row.prompt_text.substr(0, 1), codec.Decode(std::vector<int32_t>{allowed[k]}));
  }
  EXPECT_EQ(times, (std::set<double>{6000, 8000}));
}

TEST(BurstGpt, DrawsWithReplacementBeyondTheRows) {
  std::string path =
      WriteCsv("burst2.csv", std::string(kHeader) + "1,GPT-4,3,2,5,x\n2,GPT-4,4,2,6,x\n");
  auto built = Build(path, 9);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->rows.size(), 9u);
  auto vllm = Build(path, 1, Compat::kVllm);
  ASSERT_TRUE(vllm.has_value());
  // (k + j) mod V over the whole vocabulary: row 0 starts with id 0, the special "<s>".
  EXPECT_EQ(vllm->rows[0].prompt_text.rfind("<s>", 0), 0u);
}

TEST(BurstGpt, BadFilesNameFileLineAndField) {
  std::string dir = ::testing::TempDir() + "/";
  auto error = [&](const std::string& name, std::string_view body) {
    auto built = Build(WriteCsv(name, body), 1);
    return built ? std::string() : built.error().message;
  };
  EXPECT_EQ(error("b1.csv", std::string(kHeader) + "1,GPT-4,3\n"),
            dir + "b1.csv:2: expected 6 comma-separated fields, got 3");
  EXPECT_EQ(error("b2.csv", std::string(kHeader) + "1,GPT-4,3,2,5,x\nsoon,GPT-4,3,2,5,x\n"),
            dir + "b2.csv:3: field Timestamp: expected a number of seconds, got 'soon'");
  EXPECT_EQ(error("b3.csv", std::string(kHeader) + "1,GPT-4,-3,2,5,x\n"),
            dir + "b3.csv:2: field Request tokens: expected an integer >= 0, got '-3'");
  EXPECT_EQ(error("b4.csv", "Time,Model\n")
                .rfind(dir + "b4.csv:1: expected a header with "
                             "column 'Timestamp'",
                       0),
            0u);
  EXPECT_EQ(error("b5.csv", ""), dir + "b5.csv:1: expected the BurstGPT CSV header");
  EXPECT_EQ(Build("", 1).error().message,
            "--dataset-path: the burstgpt dataset needs the BurstGPT CSV file");
  EXPECT_EQ(Build(dir + "absent.csv", 1).error().message,
            "--dataset-path " + dir + "absent.csv: cannot be read");
  // No usable row is not an error here: the dispatcher reports the counts per reason.
  auto none = Build(WriteCsv("b6.csv", std::string(kHeader) + "1,ChatGPT,3,2,5,x\n"), 1);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->rows.empty());
  EXPECT_EQ(none->report.DropSummary(), "1 Model is not GPT-4");
}

}  // namespace
}  // namespace servebench::dataset
