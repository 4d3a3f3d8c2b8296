#include "dataset/image_synth.h"

#include <gtest/gtest.h>

#include "common/base64.h"

namespace servebench::dataset {
namespace {

uint32_t BigEndian32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
         static_cast<unsigned char>(b[at + 3]);
}

// Height and width from a baseline JPEG's SOF0 segment.
ImageSize JpegSize(std::string_view b) {
  for (size_t at = 2; at + 9 < b.size();) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return {};
    unsigned char marker = static_cast<unsigned char>(b[at + 1]);
    size_t length = static_cast<size_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
                    static_cast<unsigned char>(b[at + 3]);
    if (marker == 0xC0) {
      int height =
          static_cast<unsigned char>(b[at + 5]) << 8 | static_cast<unsigned char>(b[at + 6]);
      int width =
          static_cast<unsigned char>(b[at + 7]) << 8 | static_cast<unsigned char>(b[at + 8]);
      return {width, height};
    }
    at += 2 + length;
  }
  return {};
}

TEST(ImageResolution, PresetsHeightFirstAndRandomRanges) {
  auto r = ParseImageResolution("1080p");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->min.width, 1920);
  EXPECT_EQ(r->min.height, 1080);
  EXPECT_FALSE(r->IsRandom());
  EXPECT_EQ(ParseImageResolution("4k")->min.width, 3840);
  EXPECT_EQ(ParseImageResolution("720p")->min.height, 720);
  EXPECT_EQ(ParseImageResolution("360p")->min.width, 640);
  r = ParseImageResolution("100x300");  // 100 tall, 300 wide
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->min.height, 100);
  EXPECT_EQ(r->min.width, 300);
  r = ParseImageResolution("random:10x20-30x40");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->IsRandom());
  EXPECT_EQ(r->min.height, 10);
  EXPECT_EQ(r->min.width, 20);
  EXPECT_EQ(r->max.height, 30);
  EXPECT_EQ(r->max.width, 40);
}

TEST(ImageResolution, RejectsWhatIsNotHxW) {
  for (std::string_view bad : {"", "1080", "1080x", "x1920", "axb", "10x20x30", "8k", "1.5x2"}) {
    auto r = ParseImageResolution(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message.rfind("--image-resolution: expected 4k, 1080p", 0), 0u) << bad;
  }
  EXPECT_EQ(ParseImageResolution("0x10").error().message,
            "--image-resolution: width and height must be >= 1, got '0x10'");
  EXPECT_EQ(ParseImageResolution("-5x10").error().message,
            "--image-resolution: width and height must be >= 1, got '-5x10'");
  EXPECT_FALSE(ParseImageResolution("random:10x10").has_value());
  EXPECT_EQ(ParseImageResolution("random:30x30-10x10").error().message,
            "--image-resolution: the minimum exceeds the maximum in 'random:30x30-10x10'");
  EXPECT_EQ(ParseImageFormat("gif").error().message,
            "--image-format: expected jpeg or png, got 'gif'");
  EXPECT_EQ(ParseImageContent("noise").error().message,
            "--image-content: expected random or blank, got 'noise'");
}

TEST(ImagePixels, RandomBytesStayBelow255AndBlankIsWhite) {
  load::RandomStream a(7, load::kImagesStream), b(7, load::kImagesStream);
  std::string rgb = MakePixels({64, 32}, ImageContent::kRandom, a);
  ASSERT_EQ(rgb.size(), 64u * 32 * 3);
  int max = 0;
  for (char c : rgb)
    max = std::max(max, static_cast<int>(static_cast<unsigned char>(c)));
  EXPECT_GE(max, 250);
  EXPECT_LE(max, 254);  // floor(u * 255) with u < 1
  EXPECT_EQ(static_cast<unsigned char>(rgb[0]), static_cast<unsigned char>(b.UniformReal() * 255));
  std::string blank = MakePixels({4, 2}, ImageContent::kBlank, a);
  EXPECT_EQ(blank, std::string(24, static_cast<char>(255)));
}

TEST(ImageEncode, PngHasItsSignatureSizeAndExactPixels) {
  load::RandomStream images(1, load::kImagesStream);
  ImageSize size{37, 21};
  std::string rgb = MakePixels(size, ImageContent::kRandom, images);
  std::string png = EncodeImage(rgb, size, ImageFormat::kPng);
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian32(png, 16), 37u);
  EXPECT_EQ(BigEndian32(png, 20), 21u);
  // Noise does not compress: the file holds at least the raw pixels.
  EXPECT_GE(png.size(), rgb.size());
  auto decoded = DecodeImage(png);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->size.width, 37);
  EXPECT_EQ(decoded->size.height, 21);
  EXPECT_EQ(decoded->rgb, rgb);
  // A white image compresses to a small fraction.
  std::string white =
      EncodeImage(MakePixels(size, ImageContent::kBlank, images), size, ImageFormat::kPng);
  EXPECT_LT(white.size(), rgb.size() / 10);
}

TEST(ImageEncode, JpegHasItsMarkersAndSize) {
  load::RandomStream images(2, load::kImagesStream);
  ImageSize size{160, 90};
  std::string rgb = MakePixels(size, ImageContent::kRandom, images);
  std::string jpeg = EncodeImage(rgb, size, ImageFormat::kJpeg);
  ASSERT_GT(jpeg.size(), 4u);
  EXPECT_EQ(jpeg.substr(0, 2), "\xFF\xD8");
  EXPECT_EQ(jpeg.substr(jpeg.size() - 2), "\xFF\xD9");
  ImageSize read = JpegSize(jpeg);
  EXPECT_EQ(read.width, 160);
  EXPECT_EQ(read.height, 90);
  auto decoded = DecodeImage(jpeg);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size.width, 160);
  // Quality 85 noise: far above a white frame, below the raw pixels.
  std::string white =
      EncodeImage(MakePixels(size, ImageContent::kBlank, images), size, ImageFormat::kJpeg);
  EXPECT_GT(jpeg.size(), 5 * white.size());
  EXPECT_LT(jpeg.size(), rgb.size());
  EXPECT_TRUE(EncodeImage("", {0, 0}, ImageFormat::kJpeg).empty());
}

TEST(ImageDataUri, Base64OfTheBytes) {
  EXPECT_EQ(DataUri("image/png", "abc"), "data:image/png;base64,YWJj");
  EXPECT_EQ(MimeType(ImageFormat::kJpeg), "image/jpeg");
  EXPECT_FALSE(DecodeImage("not an image").has_value());
}

}  // namespace
}  // namespace servebench::dataset
