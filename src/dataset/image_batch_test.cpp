#include "dataset/image_batch.h"

#include <gtest/gtest.h>

#include <vector>

namespace servebench::dataset {
namespace {

// The same pixels give the same URIs, in the same slots, whatever the thread count.
std::vector<std::string> Encode(size_t threads) {
  load::RandomStream images(11, load::kImagesStream);
  std::vector<std::string> uris(7);
  std::vector<ImageJob> jobs;
  for (size_t k = 0; k < uris.size(); ++k) {
    ImageSize size{static_cast<int>(8 + k), 5};
    jobs.push_back({MakePixels(size, ImageContent::kRandom, images), size, &uris[k]});
  }
  EXPECT_TRUE(EncodeJobs(jobs, ImageFormat::kPng, threads));
  for (const ImageJob& job : jobs)
    EXPECT_TRUE(job.rgb.empty());  // pixels released once encoded
  return uris;
}

TEST(ImageBatch, ThreadCountDoesNotChangeTheResult) {
  std::vector<std::string> one = Encode(1), three = Encode(3);
  EXPECT_EQ(one, three);
  for (size_t k = 0; k < one.size(); ++k) {
    EXPECT_EQ(one[k].rfind("data:image/png;base64,", 0), 0u);
    if (k > 0) {
      EXPECT_NE(one[k], one[k - 1]);
    }
  }
  EXPECT_GE(ImageThreads(), 1u);
  EXPECT_LE(ImageThreads(), 4u);
}

TEST(ImageBatch, AFailedEncodeIsReported) {
  std::string out;
  std::vector<ImageJob> jobs = {{"", {0, 0}, &out}};
  EXPECT_FALSE(EncodeJobs(jobs, ImageFormat::kJpeg, 2));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace servebench::dataset
