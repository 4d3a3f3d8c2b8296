#include "dataset/image_batch.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace servebench::dataset {

size_t ImageThreads() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

bool EncodeJobs(std::span<ImageJob> jobs, ImageFormat format, size_t threads) {
  std::atomic<size_t> next{0};
  std::atomic<bool> ok{true};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < jobs.size();) {
      ImageJob& job = jobs[k];
      std::string bytes = EncodeImage(job.rgb, job.size, format);
      std::string().swap(job.rgb);
      if (bytes.empty()) {
        ok = false;
        continue;
      }
      *job.out = DataUri(MimeType(format), bytes);
    }
  };
  size_t extra = std::min(threads, jobs.size());
  std::vector<std::thread> workers;
  for (size_t t = 1; t < extra; ++t)
    workers.emplace_back(work);
  work();
  for (std::thread& t : workers)
    t.join();
  return ok;
}

}  // namespace servebench::dataset
