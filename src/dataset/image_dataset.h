// The `image` dataset (spec/datasets.md §7): synthetic text with synthetic images (or images
// sampled from --image-url-list), sent as data URIs in order.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

// N rows: text lengths from --random-input-len/--random-output-len/--random-range-ratio and the
// text from the `dataset` stream; image counts, sizes and pixels from the `images` stream.
Expected<DatasetResult> BuildImage(const DatasetOptions& options, const DatasetContext& context);

// The backends that can carry images (datasets.md §7).
inline constexpr std::array<std::string_view, 6> kImageBackends = {
    "sglang", "sglang-native", "sglang-oai-chat", "vllm-chat", "lmdeploy-chat", "openai-chat"};
bool CarriesImages(std::string_view backend);

// Refuses a backend that cannot carry images; `dataset` names the dataset in the message.
Status CheckImageBackend(const DatasetOptions& options, std::string_view dataset);

// Text and image accounting shared by the image-carrying datasets (image, mmmu): `text` and
// `images` become the row's prompt as the backend wants it (chat backends: the raw text; the
// others: the chat template rendered over image parts and the text), text_prompt_len is the
// count with specials of the template rendered over the text alone, vision_prompt_len is
// --vision-tokens-per-image per image (0 when not given: counted after the run).
Expected<WorkloadRow> MakeImageRow(const DatasetOptions& options, const DatasetContext& context,
                                   std::string text, std::vector<std::string> images,
                                   int64_t output_len);

}  // namespace servebench::dataset
