#include "dataset/image_dataset.h"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dataset/image_batch.h"
#include "dataset/image_synth.h"
#include "dataset/random_text.h"
#include "load/random_stream.h"
#include "protocol/json_text.h"

namespace servebench::dataset {

namespace {

// Lines of --image-url-list: blank lines and `#` comments skipped, surrounding spaces trimmed.
Expected<std::vector<std::string>> ReadUrlList(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError("--image-url-list {}: cannot be read", path);
  std::vector<std::string> urls;
  std::string line;
  while (std::getline(in, line)) {
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    size_t end = line.find_last_not_of(" \t\r");
    urls.push_back(line.substr(begin, end - begin + 1));
  }
  if (urls.empty()) return MakeError("--image-url-list {}: no URL or path in the file", path);
  return urls;
}

// The prompt text for backends that take the rendered prompt (sglang, sglang-native): the
// template over one user message of image parts then the text, or, when the template does not
// show list content, "<image>" per image followed by the text.
Expected<std::string> RenderWithImages(const ChatRenderer& renderer, const std::string& text,
                                       size_t images) {
  std::string parts = "[";
  for (size_t i = 0; i < images; ++i)
    parts += R"({"type":"image"},)";
  parts += fmt::format(R"({{"type":"text","text":{}}}])", protocol::JsonString(text));
  ChatMessage user{"user", parts, true};
  auto rendered = RenderPrompt(renderer, std::span<const ChatMessage>(&user, 1));
  if (rendered && rendered->find(text) != std::string::npos) return rendered;
  std::string plain;
  for (size_t i = 0; i < images; ++i)
    plain += "<image>";
  return ApplyChatTemplate(renderer, plain + text);
}

}  // namespace

bool CarriesImages(std::string_view backend) {
  return std::find(kImageBackends.begin(), kImageBackends.end(), backend) != kImageBackends.end();
}

Status CheckImageBackend(const DatasetOptions& o, std::string_view dataset) {
  if (o.image_backend) return Ok();
  return MakeError("--backend {}: the {} dataset sends images; expected one of {}", o.backend,
                   dataset, fmt::join(kImageBackends, ", "));
}

Expected<WorkloadRow> MakeImageRow(const DatasetOptions& o, const DatasetContext& c,
                                   std::string text, std::vector<std::string> images,
                                   int64_t output_len) {
  WorkloadRow row;
  row.output_len = output_len;
  std::string counted = text;
  if (c.renderer != nullptr) {
    auto rendered = ApplyChatTemplate(*c.renderer, text);
    if (!rendered) return std::unexpected(rendered.error());
    counted = std::move(*rendered);
  }
  row.text_prompt_len = static_cast<int64_t>(c.codec.Encode(counted, true).size());
  if (o.vision_tokens_per_image) {
    row.vision_prompt_len = *o.vision_tokens_per_image * static_cast<int64_t>(images.size());
  } else {
    row.vision_from_server = !images.empty();
  }
  row.prompt_len = row.text_prompt_len + row.vision_prompt_len;
  if (o.chat_backend || c.renderer == nullptr) {
    row.prompt_text = std::move(text);
  } else {
    auto rendered = RenderWithImages(*c.renderer, text, images.size());
    if (!rendered) return std::unexpected(rendered.error());
    row.prompt_text = std::move(*rendered);
  }
  row.images = std::move(images);
  return row;
}

Expected<DatasetResult> BuildImage(const DatasetOptions& o, const DatasetContext& c) {
  if (auto s = CheckImageBackend(o, "image"); !s) return std::unexpected(s.error());
  if (o.image_count < 1) return MakeError("--image-count: expected >= 1, got {}", o.image_count);
  if (o.vision_tokens_per_image && *o.vision_tokens_per_image < 0) {
    return MakeError("--vision-tokens-per-image: expected >= 0, got {}",
                     *o.vision_tokens_per_image);
  }
  if (!o.path.empty() && o.image_url_list.empty()) {
    return MakeError(
        "--dataset-path: the image dataset takes no file (images are generated; "
        "--image-url-list names existing ones)");
  }
  if (o.tokenize_prompt) {
    return MakeError("--tokenize-prompt: not allowed with --dataset-name image");
  }
  auto resolution = ParseImageResolution(o.image_resolution);
  if (!resolution) return std::unexpected(resolution.error());
  auto format = ParseImageFormat(o.image_format);
  if (!format) return std::unexpected(format.error());
  auto content = ParseImageContent(o.image_content);
  if (!content) return std::unexpected(content.error());
  std::vector<std::string> urls;
  if (!o.image_url_list.empty()) {
    auto read = ReadUrlList(o.image_url_list);
    if (!read) return std::unexpected(read.error());
    urls = std::move(*read);
  }

  const TokenCodec& codec = c.codec;
  std::vector<int32_t> allowed = AllowedVocabulary(codec);
  if (allowed.empty()) return MakeError("tokenizer: no usable (non-special) token ids");
  load::RandomStream dataset(o.seed, load::kDatasetStream);
  load::RandomStream images(o.seed, load::kImagesStream);
  LengthOptions lengths = o.lengths;
  lengths.special_tokens = static_cast<int64_t>(SpecialTokensPerSequence(codec));
  lengths.text_mode = false;  // the text is not fitted; no room is reserved
  auto drawn = SampleLengths(o.num_prompts, lengths, dataset);
  if (!drawn) return std::unexpected(drawn.error());

  DatasetResult result;
  result.report.requested = o.num_prompts;
  result.report.read = o.num_prompts;
  result.report.examined = o.num_prompts;
  if (!urls.empty()) result.report.source = o.image_url_list;
  std::vector<std::string> texts(o.num_prompts);
  for (size_t i = 0; i < o.num_prompts; ++i)
    texts[i] = codec.Decode(DrawIds(allowed, drawn->input[i], dataset));

  // Pixels in stream order; encoding in parallel batches of a bounded pixel volume.
  constexpr size_t kBatchBytes = size_t{192} << 20;
  size_t threads = ImageThreads();
  std::vector<std::vector<std::string>> uris(o.num_prompts);
  std::vector<ImageJob> jobs;
  size_t batch_bytes = 0, total_images = 0;
  bool large = false, encoded = true;
  auto flush = [&] {
    encoded = EncodeJobs(jobs, *format, threads) && encoded;
    jobs.clear();
    batch_bytes = 0;
  };
  for (size_t i = 0; i < o.num_prompts; ++i) {
    int64_t count = o.random_image_count ? images.UniformInt(1, o.image_count) : o.image_count;
    uris[i].resize(static_cast<size_t>(count));
    total_images += uris[i].size();
    for (std::string& uri : uris[i]) {
      if (!urls.empty()) {
        uri =
            urls[static_cast<size_t>(images.UniformInt(0, static_cast<int64_t>(urls.size()) - 1))];
        continue;
      }
      ImageSize size = resolution->min;
      if (resolution->IsRandom()) {
        size.height =
            static_cast<int>(images.UniformInt(resolution->min.height, resolution->max.height));
        size.width =
            static_cast<int>(images.UniformInt(resolution->min.width, resolution->max.width));
      }
      large = large || static_cast<int64_t>(size.width) * size.height >= 1920 * 1080;
      jobs.push_back({MakePixels(size, *content, images), size, &uri});
      batch_bytes += jobs.back().rgb.size();
      if (jobs.size() >= 2 * threads || batch_bytes >= kBatchBytes) flush();
    }
  }
  flush();
  if (!encoded) {
    return MakeError("--image-resolution {}: the {} encoder failed", o.image_resolution,
                     o.image_format);
  }
  for (size_t i = 0; i < o.num_prompts; ++i) {
    auto row = MakeImageRow(o, c, std::move(texts[i]), std::move(uris[i]), drawn->output[i]);
    if (!row) return std::unexpected(row.error());
    result.rows.push_back(std::move(*row));
  }
  if (large && total_images >= 100) {
    result.report.warnings.push_back(fmt::format(
        "--image-resolution {}: {} images of at least 1920x1080 are generated and sent; the "
        "client's memory and the upload may dominate",
        o.image_resolution, total_images));
  }
  if (!o.vision_tokens_per_image) {
    result.report.warnings.push_back(
        "--vision-tokens-per-image not given: prompt_len counts the text only until the server "
        "reports prompt tokens");
  }
  return result;
}

}  // namespace servebench::dataset
