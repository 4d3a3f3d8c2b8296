// One GET from the HuggingFace hub (or any HTTP server) into a local file with libcurl: the one
// download routine behind tokenizer downloads (hub.cpp) and dataset downloads
// (dataset/dataset_source.cpp).
//
// Redirects are followed; the bearer token goes to the first host only (libcurl does not forward
// it across hosts). Only a successful reply's body reaches the file, so an error page never
// becomes data; the caller decides from `status` what to keep.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace servebench::tokenizer {

struct FetchRequest {
  std::string url;
  std::string token;        // empty: anonymous
  int64_t resume_from = 0;  // > 0: append from this byte with a Range request
  bool progress = false;    // draw a progress bar on stderr
  long timeout_seconds = 60;
};

struct FetchResult {
  long status = 0;     // HTTP status of the last response (0: none)
  std::string commit;  // X-Repo-Commit of the first response that has one
  std::string error;   // transport or write failure; empty when there was none
};

// GETs `request.url` into `file` (created, or appended to when resuming; a server that ignores
// the range and answers 200 restarts the file from byte 0).
FetchResult FetchToFile(const FetchRequest& request, const std::filesystem::path& file);

}  // namespace servebench::tokenizer
