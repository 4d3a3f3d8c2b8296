#include "dataset/image_dataset.h"

#include <gtest/gtest.h>

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

DatasetOptions Small(size_t n) {
  DatasetOptions o;
  o.kind = DatasetKind::kImage;
  o.num_prompts = n;
  o.lengths.input_len = 6;
  o.lengths.output_len = 5;
  o.lengths.ratio = {1.0, 1.0};  // fixed
  o.image_resolution = "12x20";
  o.image_format = "png";
  o.backend = "openai-chat";
  o.chat_backend = true;
  o.image_backend = true;
  return o;
}

Expected<DatasetResult> Build(const DatasetOptions& o, bool with_template = true) {
  static FakeCodec codec;
  static FakeRenderer chat_template;
  return BuildImage(o, DatasetContext{codec, with_template ? &chat_template : nullptr});
}

RgbImage DecodeUri(const std::string& uri, std::string_view mime) {
  std::string prefix = "data:" + std::string(mime) + ";base64,";
  EXPECT_EQ(uri.rfind(prefix, 0), 0u);
  auto bytes = Base64Decode(std::string_view(uri).substr(prefix.size()));
  EXPECT_TRUE(bytes.has_value());
  auto image = DecodeImage(*bytes);
  EXPECT_TRUE(image.has_value());
  return image.value_or(RgbImage{});
}

TEST(ImageDataset, ChatRowsCarryTextAndDecodableImages) {
  DatasetOptions o = Small(3);
  o.image_count = 2;
  o.vision_tokens_per_image = 10;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  ASSERT_EQ(built->rows.size(), 3u);
  FakeCodec codec;
  std::set<std::string> distinct;
  for (const WorkloadRow& row : built->rows) {
    ASSERT_EQ(row.images.size(), 2u);
    for (const std::string& uri : row.images) {
      RgbImage image = DecodeUri(uri, "image/png");
      EXPECT_EQ(image.size.height, 12);
      EXPECT_EQ(image.size.width, 20);
      distinct.insert(uri);
    }
    // Raw text for chat backends: 6 synthetic tokens (decoded; not fitted).
    EXPECT_EQ(row.prompt_text.find("[user]"), std::string::npos);
    EXPECT_FALSE(row.prompt_text.empty());
    // Text accounting: the template over the text alone, BOS text removed, counted with
    // specials; vision from --vision-tokens-per-image.
    std::string rendered = "[user]" + row.prompt_text + "[assistant]";
    EXPECT_EQ(row.text_prompt_len, static_cast<int64_t>(codec.Encode(rendered, true).size()));
    EXPECT_EQ(row.vision_prompt_len, 20);
    EXPECT_EQ(row.prompt_len, row.text_prompt_len + 20);
    EXPECT_EQ(row.output_len, 5);
  }
  EXPECT_EQ(distinct.size(), 6u);  // a new image for every image of every request
  auto again = Build(o);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->rows[2].images[1], built->rows[2].images[1]);
}

TEST(ImageDataset, JpegBlankAndRandomCounts) {
  DatasetOptions o = Small(40);
  o.image_format = "jpeg";
  o.image_content = "blank";
  o.image_count = 3;
  o.random_image_count = true;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  std::set<size_t> counts;
  for (const WorkloadRow& row : built->rows) {
    counts.insert(row.images.size());
    RgbImage image = DecodeUri(row.images[0], "image/jpeg");
    EXPECT_EQ(image.size.width, 20);
    EXPECT_GE(static_cast<unsigned char>(image.rgb[0]), 250);  // white, up to JPEG rounding
  }
  EXPECT_EQ(counts, (std::set<size_t>{1, 2, 3}));
  // Without --vision-tokens-per-image the vision part is counted after the run.
  EXPECT_EQ(built->rows[0].vision_prompt_len, 0);
  EXPECT_FALSE(built->report.warnings.empty());
}

TEST(ImageDataset, RandomResolutionDrawsEachImage) {
  DatasetOptions o = Small(20);
  o.image_resolution = "random:4x6-9x11";
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  std::set<int> heights;
  for (const WorkloadRow& row : built->rows) {
    RgbImage image = DecodeUri(row.images[0], "image/png");
    EXPECT_GE(image.size.height, 4);
    EXPECT_LE(image.size.height, 9);
    EXPECT_GE(image.size.width, 6);
    EXPECT_LE(image.size.width, 11);
    heights.insert(image.size.height);
  }
  EXPECT_GT(heights.size(), 2u);
}

TEST(ImageDataset, CompletionBackendsGetTheTemplatedPromptWithImageParts) {
  DatasetOptions o = Small(2);
  o.backend = "sglang";
  o.chat_backend = false;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  const WorkloadRow& row = built->rows[0];
  // The fake template shows list content as JSON; BOS text removed.
  EXPECT_EQ(row.prompt_text.rfind(R"([user][{"type":"image"},{"type":"text","text":")", 0), 0u)
      << row.prompt_text;
  EXPECT_EQ(row.images.size(), 1u);
}

TEST(ImageDataset, UrlListIsSampledAndSentUnchanged) {
  std::string path = ::testing::TempDir() + "/image_urls.txt";
  std::ofstream(path) << "# images\n\nhttps://example.com/a.png\n  /data/b.jpg  \n";
  DatasetOptions o = Small(30);
  o.image_url_list = path;
  auto built = Build(o);
  ASSERT_TRUE(built.has_value());
  std::set<std::string> seen;
  for (const WorkloadRow& row : built->rows)
    seen.insert(row.images[0]);
  EXPECT_EQ(seen, (std::set<std::string>{"https://example.com/a.png", "/data/b.jpg"}));
  o.image_url_list = path + ".missing";
  EXPECT_EQ(Build(o).error().message, "--image-url-list " + path + ".missing: cannot be read");
}

TEST(ImageDataset, RejectsBadInput) {
  auto error = [](const DatasetOptions& o) {
    auto built = Build(o);
    return built ? std::string() : built.error().message;
  };
  DatasetOptions o = Small(1);
  o.image_count = 0;
  EXPECT_EQ(error(o), "--image-count: expected >= 1, got 0");
  o = Small(1);
  o.image_resolution = "1080by1920";
  EXPECT_NE(error(o).find("got '1080by1920'"), std::string::npos);
  o = Small(1);
  o.image_format = "webp";
  EXPECT_EQ(error(o), "--image-format: expected jpeg or png, got 'webp'");
  o = Small(1);
  o.path = "/tmp/some.json";
  EXPECT_EQ(error(o).rfind("--dataset-path: the image dataset takes no file", 0), 0u);
  o = Small(1);
  o.backend = "vllm";
  o.chat_backend = false;
  o.image_backend = false;
  EXPECT_EQ(error(o),
            "--backend vllm: the image dataset sends images; expected one of sglang, "
            "sglang-native, sglang-oai-chat, vllm-chat, lmdeploy-chat, openai-chat");
}

}  // namespace
}  // namespace servebench::dataset
