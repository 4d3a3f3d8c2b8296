// Where dataset files come from when --dataset-path is empty (spec/datasets.md §3, §9):
// well-known local paths first, then a download with libcurl into servebench's cache.
//
// A download goes to `<cache>/<name>.incomplete` and is renamed to `<cache>/<name>` only when
// complete, so a reader never sees half a file; an interrupted download resumes from the
// temporary file with a Range request. Redirects are followed; $HF_TOKEN goes as a bearer token
// to the first host only (libcurl does not forward it across hosts); a progress bar is drawn on
// stderr when it is a terminal.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace servebench::dataset {

struct SourceSettings {
  std::string hub_cache;         // HuggingFace hub cache directory
  std::string servebench_cache;  // ${XDG_CACHE_HOME:-~/.cache}/servebench/datasets
  std::string endpoint;          // ${HF_ENDPOINT:-https://huggingface.co}, no trailing slash
  std::string token;             // $HF_TOKEN
  bool offline = false;          // HF_HUB_OFFLINE=1
  bool progress = false;         // draw a progress bar (stderr is a terminal)
  long timeout_seconds = 3600;

  static SourceSettings FromEnvironment();
};

// The ShareGPT file: `explicit_path` when set (must exist), else the first existing of the hub
// cache snapshot, /tmp, servebench's cache; else downloaded into servebench's cache.
Expected<std::string> LocateShareGpt(const std::string& explicit_path,
                                     const SourceSettings& settings);

// GETs `url` into `<settings.servebench_cache>/<file_name>` (see above) and returns that path.
// `searched` lists the paths looked at first, for the error when the download is refused or
// fails.
Expected<std::string> DownloadToCache(const std::string& url, const std::string& file_name,
                                      const SourceSettings& settings,
                                      const std::vector<std::string>& searched);

}  // namespace servebench::dataset
