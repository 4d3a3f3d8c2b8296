// Synthetic images for the `image` dataset (spec/datasets.md §7): the --image-* flag values,
// pixels from the `images` stream, JPEG (quality 85) or PNG bytes, and data URIs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "load/random_stream.h"

namespace servebench::dataset {

enum class ImageFormat { kJpeg, kPng };
enum class ImageContent { kRandom, kBlank };

struct ImageSize {
  int width = 0;
  int height = 0;
};

// --image-resolution: a preset (4k, 1080p, 720p, 360p), HxW (height first), or
// random:<hmin>x<wmin>-<hmax>x<wmax> (each image draws its height and width).
struct ImageResolution {
  ImageSize min;
  ImageSize max;  // equal to min unless the form is random:...
  bool IsRandom() const { return min.width != max.width || min.height != max.height; }
};

Expected<ImageResolution> ParseImageResolution(std::string_view value);
Expected<ImageFormat> ParseImageFormat(std::string_view value);
Expected<ImageContent> ParseImageContent(std::string_view value);

std::string_view MimeType(ImageFormat format);

// Row-major RGB, 3 bytes a pixel: `random` gives each byte floor(u * 255) for u uniform in
// [0, 1) from `images`; `blank` gives 255 everywhere and draws nothing.
std::string MakePixels(ImageSize size, ImageContent content, load::RandomStream& images);

// The encoded file; empty if the encoder failed (it does only on a zero size).
std::string EncodeImage(std::string_view rgb, ImageSize size, ImageFormat format);

// An encoded image (PNG, JPEG, GIF, BMP, ...) as RGB pixels, alpha dropped.
struct RgbImage {
  std::string rgb;
  ImageSize size;
};
Expected<RgbImage> DecodeImage(std::string_view bytes);

// "data:<mime>;base64,<bytes>".
std::string DataUri(std::string_view mime, std::string_view bytes);

}  // namespace servebench::dataset
