#include "dataset/sonnet_dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "dataset/fake_codec.h"
#include "dataset/fake_renderer.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;
using testing::FakeRenderer;

constexpr std::string_view kBase = "Pick as many lines as you can from these poem lines:\n";

// Lines of 3 to 6 letters ("x" never merges in the fake tokenizer: 1 token a letter).
std::string Poem() {
  return "xxx\nxxxx\nxxxxx\nxxxxxx\nxxx\nxxxx\nxxxxx\nxxxxxx\n";
}

std::string WritePoem(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

DatasetOptions Options(const std::string& path, size_t n) {
  DatasetOptions o;
  o.kind = DatasetKind::kSonnet;
  o.path = path;
  o.num_prompts = n;
  o.sonnet_output_len = 9;
  o.backend = "vllm";
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o, bool with_template = true) {
  static FakeCodec codec;
  static FakeRenderer chat_template;
  return BuildSonnet(o, DatasetContext{codec, with_template ? &chat_template : nullptr});
}

int64_t Count(const std::string& text) {
  FakeCodec codec;
  return static_cast<int64_t>(codec.Encode(text, true).size());
}

TEST(Sonnet, LinesSizedToTheInputLengthWithTheSharedPrefix) {
  std::string path = WritePoem("poem1.txt", Poem());
  // The fake template's tokens around the instruction, and the mean line count (with the BOS).
  int64_t base_offset = Count("[user]" + std::string(kBase) + "[assistant]");
  double avg = (4 + 5 + 6 + 7) * 2 / 8.0;  // 5.5
  DatasetOptions o = Options(path, 20);
  o.sonnet_input_len = base_offset + 40;   // round(40 / 5.5) = 7 lines
  o.sonnet_prefix_len = base_offset + 11;  // round(11 / 5.5) = 2 prefix lines
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 20u);
  ASSERT_EQ(std::lround(40 / avg), 7);
  for (const WorkloadRow& row : built->rows) {
    // Completions backends get the rendering (BOS text removed).
    std::string head = "[user]" + std::string(kBase) + "xxx\nxxxx\n";
    ASSERT_EQ(row.prompt_text.rfind(head, 0), 0u) << row.prompt_text;
    size_t newlines = std::count(row.prompt_text.begin(), row.prompt_text.end(), '\n');
    EXPECT_EQ(newlines, 1u + 7u);  // the instruction's, then 7 lines
    EXPECT_EQ(row.prompt_len, Count(row.prompt_text));
    EXPECT_LE(row.prompt_len, o.sonnet_input_len);  // longer draws are drawn again
    EXPECT_EQ(row.output_len, 9);
  }
  o.chat_backend = true;
  auto chat = Build(o);
  ASSERT_TRUE(chat.has_value());
  EXPECT_EQ(chat->rows[0].prompt_text.rfind(std::string(kBase) + "xxx\nxxxx\n", 0), 0u);
  EXPECT_EQ(chat->rows[0].prompt_len, built->rows[0].prompt_len);
}

TEST(Sonnet, RejectsWhatCannotWork) {
  std::string path = WritePoem("poem2.txt", Poem());
  int64_t base_offset = Count("[user]" + std::string(kBase) + "[assistant]");
  auto error = [](const DatasetOptions& o, bool with_template = true) {
    auto built = Build(o, with_template);
    return built ? std::string() : built.error().message;
  };
  EXPECT_EQ(error(Options("", 1)),
            "--dataset-path: the sonnet dataset needs a poem file (one line a verse)");
  EXPECT_EQ(error(Options(path + ".absent", 1)),
            "--dataset-path " + path + ".absent: cannot be read");
  EXPECT_NE(error(Options(path, 1), false).find("no chat template"), std::string::npos);
  DatasetOptions o = Options(path, 1);
  o.sonnet_input_len = base_offset;
  o.sonnet_prefix_len = 0;
  EXPECT_EQ(error(o), "--sonnet-input-len " + std::to_string(base_offset) +
                          ": expected more than the " + std::to_string(base_offset) +
                          " tokens of the template around the instruction");
  o = Options(path, 1);
  o.sonnet_prefix_len = 600;
  EXPECT_EQ(error(o), "--sonnet-prefix-len 600: expected at most --sonnet-input-len 550");
  // One line is asked for, but every line is longer than the room left: 100 draws, then an error.
  o = Options(path, 1);
  o.sonnet_input_len = base_offset + 2;
  o.sonnet_prefix_len = 0;
  EXPECT_NE(error(o).find("100 draws of 1 poem lines all exceeded it"), std::string::npos);
  EXPECT_EQ(error(Options(WritePoem("empty.txt", ""), 1)),
            "--dataset-path " + ::testing::TempDir() + "/empty.txt: the poem file is empty");
}

}  // namespace
}  // namespace servebench::dataset
