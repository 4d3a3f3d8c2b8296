#include "dataset/mmmu_dataset.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <fstream>
#include <set>

#include "common/base64.h"
#include "dataset/fake_codec.h"
#include "dataset/fake_renderer.h"
#include "dataset/image_synth.h"

namespace servebench::dataset {
namespace {

using testing::FakeCodec;
using testing::FakeRenderer;

std::string Write(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// A 3x2 RGBA PNG whose alpha must be dropped.
std::string RgbaPng() {
  std::string rgba;
  for (int i = 0; i < 6; ++i)
    rgba += std::string{static_cast<char>(10 * i), 20, 30, static_cast<char>(i == 0 ? 0 : 128)};
  std::string out;
  stbi_write_png_to_func(
      [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                                   static_cast<size_t>(size));
      },
      &out, 3, 2, 4, rgba.data(), 12);
  return out;
}

DatasetOptions Options(const std::string& path, size_t n) {
  DatasetOptions o;
  o.kind = DatasetKind::kMmmu;
  o.path = path;
  o.num_prompts = n;
  o.lengths.output_len = 33;
  o.backend = "vllm-chat";
  o.chat_backend = true;
  o.image_backend = true;
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o) {
  static FakeCodec codec;
  static FakeRenderer renderer;
  return BuildMmmu(o, DatasetContext{codec, &renderer});
}

RgbImage FromUri(const std::string& uri) {
  std::string prefix = "data:image/png;base64,";
  EXPECT_EQ(uri.rfind(prefix, 0), 0u);
  return DecodeImage(*Base64Decode(uri.substr(prefix.size()))).value_or(RgbImage{});
}

TEST(Mmmu, EveryImageFormReadsAndBecomesRgbPng) {
  std::string png = RgbaPng();
  Write("mmmu_image.png", png);
  std::string b64 = Base64Encode(png);
  std::string path = Write(
      "mmmu1.jsonl", R"({"question": "one", "image_1": ")" + b64 + "\"}\n\n" +
                         R"({"question": "two", "image_1": "data:image/png;base64,)" + b64 +
                         "\"}\n" + R"({"question": "three", "image_1": "mmmu_image.png"})" + "\n" +
                         R"({"question": "four", "image_1": {"bytes": ")" + b64 + "\"}}\n");
  auto built = Build(Options(path, 10));
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 4u);  // fewer than N: all, in file order
  std::vector<std::string> questions = {"one", "two", "three", "four"};
  FakeCodec codec;
  for (size_t i = 0; i < 4; ++i) {
    const WorkloadRow& row = built->rows[i];
    EXPECT_EQ(row.prompt_text, "Question: " + questions[i] + "\n\nAnswer: ");
    EXPECT_EQ(row.output_len, 33);
    EXPECT_EQ(row.text_prompt_len,
              static_cast<int64_t>(
                  codec.Encode("[user]" + row.prompt_text + "[assistant]", true).size()));
    ASSERT_EQ(row.images.size(), 1u);
    RgbImage image = FromUri(row.images[0]);
    EXPECT_EQ(image.size.width, 3);
    EXPECT_EQ(image.size.height, 2);
    ASSERT_EQ(image.rgb.size(), 18u);  // RGB: alpha dropped
    EXPECT_EQ(image.rgb.substr(3, 3), std::string({10, 20, 30}));
  }
}

TEST(Mmmu, MoreExamplesThanPromptsAreSampledWithoutRepeats) {
  std::string b64 = Base64Encode(RgbaPng());
  std::string text;
  for (int i = 0; i < 12; ++i)
    text += R"({"question": "q)" + std::to_string(i) + R"(", "image_1": ")" + b64 + "\"}\n";
  auto built = Build(Options(Write("mmmu2.jsonl", text), 5));
  ASSERT_TRUE(built.has_value());
  std::set<std::string> seen;
  for (const WorkloadRow& row : built->rows)
    seen.insert(row.prompt_text);
  EXPECT_EQ(seen.size(), 5u);
}

TEST(Mmmu, ParquetAndBadLinesAreOneLineErrors) {
  std::string parquet = Write("math.parquet", "PAR1....");
  std::string message = Build(Options(parquet, 1)).error().message;
  EXPECT_EQ(
      message.rfind("--dataset-path " + parquet + ": parquet is not read; export it to JSONL", 0),
      0u);
  EXPECT_EQ(message.find('\n'), std::string::npos);
  std::string disguised = Write("math.data", "PAR1....");
  EXPECT_NE(Build(Options(disguised, 1)).error().message.find("parquet is not read"),
            std::string::npos);
  EXPECT_NE(Build(Options("", 1)).error().message.find("local JSONL export"), std::string::npos);
  std::string dir = ::testing::TempDir() + "/";
  auto error = [&](const std::string& name, const std::string& text) {
    auto built = Build(Options(Write(name, text), 1));
    return built ? std::string() : built.error().message;
  };
  EXPECT_EQ(error("m1.jsonl", R"({"question": 3, "image_1": "x"})"),
            dir + "m1.jsonl:1: field question: expected a string");
  EXPECT_EQ(error("m2.jsonl", "{\"question\": \"q\"}\n"),
            dir + "m2.jsonl:1: field image_1: missing");
  EXPECT_EQ(error("m3.jsonl", "\n{\"question\": \"q\", \"image_1\": \"!!\"}\n")
                .rfind(dir + "m3.jsonl:2: field image_1: expected base64", 0),
            0u);
  EXPECT_EQ(error("m4.jsonl",
                  "{\"question\": \"q\", \"image_1\": \"" + Base64Encode("not an image") + "\"}\n")
                .rfind(dir + "m4.jsonl:1: image does not decode", 0),
            0u);
  EXPECT_EQ(error("m5.jsonl", "{\"question\": \"q\"")
                .rfind(dir + "m5.jsonl:1: expected a JSON object", 0),
            0u);
  DatasetOptions text_only = Options(dir + "m1.jsonl", 1);
  text_only.backend = "tgi";
  text_only.chat_backend = false;
  text_only.image_backend = false;
  EXPECT_EQ(
      Build(text_only).error().message.rfind("--backend tgi: the mmmu dataset sends images", 0),
      0u);
}

}  // namespace
}  // namespace servebench::dataset
