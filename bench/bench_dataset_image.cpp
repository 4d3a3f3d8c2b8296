// Time to build `image` dataset rows (spec/datasets.md §7): pixels from the `images` stream,
// JPEG/PNG encoding and base64, per image, for the presets. The text side uses the small test
// tokenizer: the images are the cost measured here.
//
//   bench_dataset_image [images per case]   (default 20)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dataset/fake_codec.h"
#include "dataset/image_dataset.h"

int main(int argc, char** argv) {
  using namespace servebench::dataset;
  size_t n = argc > 1 ? static_cast<size_t>(std::atol(argv[1])) : 20;
  testing::FakeCodec codec;
  std::printf("%-6s %-5s %-7s %8s %12s %12s\n", "res", "fmt", "content", "images", "ms/image",
              "KB/image");
  for (const char* resolution : {"360p", "720p", "1080p", "4k"}) {
    for (const char* format : {"jpeg", "png"}) {
      for (const char* content : {"random", "blank"}) {
        DatasetOptions o;
        o.kind = DatasetKind::kImage;
        o.num_prompts = n;
        o.lengths.input_len = 64;
        o.lengths.output_len = 16;
        o.image_resolution = resolution;
        o.image_format = format;
        o.image_content = content;
        o.backend = "openai-chat";
        o.chat_backend = o.image_backend = true;
        auto start = std::chrono::steady_clock::now();
        auto built = BuildImage(o, DatasetContext{codec});
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        if (!built) {
          std::fprintf(stderr, "%s\n", built.error().message.c_str());
          return 1;
        }
        double bytes = 0;
        for (const WorkloadRow& row : built->rows)
          bytes += static_cast<double>(row.images[0].size());
        std::printf("%-6s %-5s %-7s %8zu %12.2f %12.1f\n", resolution, format, content, n,
                    ms / static_cast<double>(n), bytes / static_cast<double>(n) / 1024.0);
      }
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
