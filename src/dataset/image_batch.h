// Encoding synthetic images on several threads. The pixels must be drawn one image after another
// from the `images` stream; encoding (JPEG/PNG, base64) has no such order and takes most of the
// time, so jobs are drawn in order and encoded in parallel batches.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "dataset/image_synth.h"

namespace servebench::dataset {

struct ImageJob {
  std::string rgb;  // MakePixels output; released once encoded
  ImageSize size;
  std::string* out;  // receives the data URI
};

// Encodes every job into *job.out as a data URI of `format`, on up to `threads` threads.
// False when an encode failed (the failed job's *out stays empty).
bool EncodeJobs(std::span<ImageJob> jobs, ImageFormat format, size_t threads);

// Threads worth using for image encoding on this machine (1 .. 4).
size_t ImageThreads();

}  // namespace servebench::dataset
