#include "dataset/image_synth.h"

#include <charconv>
#include <limits>

#include <zlib.h>

#include <cstdlib>

// stb's own deflate spends seconds on a 1080p noise image; zlib at its fastest level takes a
// fraction of that, and noise does not compress at any level. Blank images still shrink ~100x.
static unsigned char* ZlibCompress(unsigned char* data, int size, int* out_size, int) {
  uLongf bound = compressBound(static_cast<uLong>(size));
  auto* out = static_cast<unsigned char*>(std::malloc(bound));
  if (out == nullptr) return nullptr;
  if (compress2(out, &bound, data, static_cast<uLong>(size), Z_BEST_SPEED) != Z_OK) {
    std::free(out);
    return nullptr;
  }
  *out_size = static_cast<int>(bound);
  return out;
}

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#define STBIW_ZLIB_COMPRESS ZlibCompress
#include <stb/stb_image_write.h>
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO
#include <stb/stb_image.h>

#include "common/base64.h"

namespace servebench::dataset {

namespace {

constexpr int kJpegQuality = 85;

// PNG rows unfiltered: stb's per-row choice among five filters costs five passes over the
// pixels and gains nothing on noise; zlib still packs uniform rows.
[[maybe_unused]] const bool kPngUnfiltered = [] {
  stbi_write_force_png_filter = 0;
  return true;
}();

bool ParseDimension(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// "HxW" (height first) into a size; false unless both are integers.
bool ParseHeightByWidth(std::string_view text, ImageSize& size) {
  size_t x = text.find('x');
  if (x == std::string_view::npos) return false;
  return ParseDimension(text.substr(0, x), size.height) &&
         ParseDimension(text.substr(x + 1), size.width);
}

Status CheckPositive(ImageSize size, std::string_view value) {
  if (size.width >= 1 && size.height >= 1) return Ok();
  return MakeError("--image-resolution: width and height must be >= 1, got '{}'", value);
}

void Append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             static_cast<size_t>(size));
}

}  // namespace

Expected<ImageResolution> ParseImageResolution(std::string_view value) {
  static constexpr std::pair<std::string_view, ImageSize> kPresets[] = {
      {"4k", {3840, 2160}}, {"1080p", {1920, 1080}}, {"720p", {1280, 720}}, {"360p", {640, 360}}};
  for (const auto& [name, size] : kPresets) {
    if (value == name) return ImageResolution{size, size};
  }
  constexpr std::string_view kRandom = "random:";
  ImageResolution r;
  if (value.starts_with(kRandom)) {
    std::string_view range = value.substr(kRandom.size());
    size_t dash = range.find('-');
    if (dash == std::string_view::npos || !ParseHeightByWidth(range.substr(0, dash), r.min) ||
        !ParseHeightByWidth(range.substr(dash + 1), r.max)) {
      return MakeError("--image-resolution: expected random:<hmin>x<wmin>-<hmax>x<wmax>, got '{}'",
                       value);
    }
    if (auto s = CheckPositive(r.min, value); !s) return std::unexpected(s.error());
    if (r.min.width > r.max.width || r.min.height > r.max.height) {
      return MakeError("--image-resolution: the minimum exceeds the maximum in '{}'", value);
    }
    return r;
  }
  if (!ParseHeightByWidth(value, r.min)) {
    return MakeError(
        "--image-resolution: expected 4k, 1080p, 720p, 360p, HxW (height first, e.g. 1080x1920) "
        "or random:<hmin>x<wmin>-<hmax>x<wmax>, got '{}'",
        value);
  }
  if (auto s = CheckPositive(r.min, value); !s) return std::unexpected(s.error());
  r.max = r.min;
  return r;
}

Expected<ImageFormat> ParseImageFormat(std::string_view value) {
  if (value == "jpeg") return ImageFormat::kJpeg;
  if (value == "png") return ImageFormat::kPng;
  return MakeError("--image-format: expected jpeg or png, got '{}'", value);
}

Expected<ImageContent> ParseImageContent(std::string_view value) {
  if (value == "random") return ImageContent::kRandom;
  if (value == "blank") return ImageContent::kBlank;
  return MakeError("--image-content: expected random or blank, got '{}'", value);
}

std::string_view MimeType(ImageFormat format) {
  return format == ImageFormat::kJpeg ? "image/jpeg" : "image/png";
}

std::string MakePixels(ImageSize size, ImageContent content, load::RandomStream& images) {
  size_t bytes = static_cast<size_t>(size.width) * static_cast<size_t>(size.height) * 3;
  if (content == ImageContent::kBlank) return std::string(bytes, static_cast<char>(255));
  std::string rgb(bytes, '\0');
  for (char& c : rgb)
    c = static_cast<char>(static_cast<unsigned char>(images.UniformReal() * 255.0));
  return rgb;
}

std::string EncodeImage(std::string_view rgb, ImageSize size, ImageFormat format) {
  std::string out;
  if (size.width < 1 || size.height < 1 ||
      rgb.size() != static_cast<size_t>(size.width) * static_cast<size_t>(size.height) * 3) {
    return out;
  }
  int ok = format == ImageFormat::kJpeg
               ? stbi_write_jpg_to_func(Append, &out, size.width, size.height, 3, rgb.data(),
                                        kJpegQuality)
               : stbi_write_png_to_func(Append, &out, size.width, size.height, 3, rgb.data(),
                                        size.width * 3);
  if (!ok) out.clear();
  return out;
}

Expected<RgbImage> DecodeImage(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return MakeError("image of {} bytes is too large to decode", bytes.size());
  }
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels =
      stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()), &width, &height, &channels, 3);
  if (pixels == nullptr) return MakeError("image does not decode: {}", stbi_failure_reason());
  RgbImage image;
  image.size = {width, height};
  image.rgb.assign(reinterpret_cast<const char*>(pixels),
                   static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  stbi_image_free(pixels);
  return image;
}

std::string DataUri(std::string_view mime, std::string_view bytes) {
  std::string uri = "data:";
  uri += mime;
  uri += ";base64,";
  uri += Base64Encode(bytes);
  return uri;
}

}  // namespace servebench::dataset
