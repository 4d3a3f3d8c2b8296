#include "dataset/dataset_source.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "tokenizer/hub.h"
#include "tokenizer/hub_fetch.h"

namespace servebench::dataset {

namespace fs = std::filesystem;

namespace {

constexpr const char* kShareGptFile = "ShareGPT_V3_unfiltered_cleaned_split.json";
constexpr const char* kShareGptRepo = "anon8231489123/ShareGPT_Vicuna_unfiltered";

std::string Searched(const std::vector<std::string>& searched) {
  std::string out;
  for (const std::string& p : searched) {
    out += out.empty() ? "" : ", ";
    out += p;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

SourceSettings SourceSettings::FromEnvironment() {
  tokenizer::HubSettings hub = tokenizer::HubSettings::FromEnvironment();
  SourceSettings s;
  s.hub_cache = hub.cache_dir;
  s.endpoint = hub.endpoint;
  s.token = hub.token;
  s.offline = hub.offline;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string cache = xdg != nullptr && *xdg != '\0'
                          ? std::string(xdg)
                          : std::string(home != nullptr ? home : "") + "/.cache";
  s.servebench_cache = cache + "/servebench/datasets";
  s.progress = isatty(STDERR_FILENO) != 0;
  return s;
}

Expected<std::string> LocateShareGpt(const std::string& explicit_path,
                                     const SourceSettings& settings) {
  std::error_code ec;
  if (!explicit_path.empty()) {
    if (!fs::is_regular_file(explicit_path, ec)) {
      return MakeError("--dataset-path {}: no such file", explicit_path);
    }
    return explicit_path;
  }
  std::vector<std::string> searched;
  fs::path snapshots = fs::path(settings.hub_cache) /
                       "datasets--anon8231489123--ShareGPT_Vicuna_unfiltered" / "snapshots";
  searched.push_back((snapshots / "*" / kShareGptFile).string());
  if (fs::is_directory(snapshots, ec)) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(snapshots, ec)) {
      if (fs::is_regular_file(entry.path() / kShareGptFile, ec)) {
        found.push_back(entry.path() / kShareGptFile);
      }
    }
    // Several snapshots: the choice must not depend on directory order.
    std::sort(found.begin(), found.end());
    if (!found.empty()) return found.front().string();
  }
  for (fs::path candidate :
       {fs::path("/tmp") / kShareGptFile, fs::path(settings.servebench_cache) / kShareGptFile}) {
    searched.push_back(candidate.string());
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  std::string url = fmt::format("{}/datasets/{}/resolve/main/{}", settings.endpoint, kShareGptRepo,
                                kShareGptFile);
  return DownloadToCache(url, kShareGptFile, settings, searched);
}

Expected<std::string> DownloadToCache(const std::string& url, const std::string& file_name,
                                      const SourceSettings& settings,
                                      const std::vector<std::string>& searched) {
  if (settings.offline) {
    return MakeError("{}: not found (searched {}) and HF_HUB_OFFLINE forbids downloading {}",
                     file_name, Searched(searched), url);
  }
  std::error_code ec;
  fs::create_directories(settings.servebench_cache, ec);
  if (ec) {
    return MakeError("{}: cannot create the cache directory {}: {}", file_name,
                     settings.servebench_cache, ec.message());
  }
  fs::path target = fs::path(settings.servebench_cache) / file_name;
  fs::path partial = target;
  partial += ".incomplete";
  int64_t have =
      fs::is_regular_file(partial, ec) ? static_cast<int64_t>(fs::file_size(partial, ec)) : 0;
  if (settings.progress) std::fprintf(stderr, "servebench: downloading %s\n", url.c_str());
  tokenizer::FetchRequest request{.url = url,
                                  .token = settings.token,
                                  .resume_from = have,
                                  .progress = settings.progress,
                                  .timeout_seconds = settings.timeout_seconds};
  tokenizer::FetchResult got = tokenizer::FetchToFile(request, partial);
  if (got.error.empty() && have > 0 && got.status == 416) {
    // The partial file does not fit what the server has now: start over.
    request.resume_from = 0;
    got = tokenizer::FetchToFile(request, partial);
  }
  if (!got.error.empty() || (got.status != 200 && got.status != 206)) {
    std::string why = got.error.empty() ? fmt::format("HTTP {}", got.status) : got.error;
    if (got.status == 401 || got.status == 403) why += " (gated or private: set HF_TOKEN)";
    return MakeError("{}: not found (searched {}) and downloading {} failed: {}", file_name,
                     Searched(searched), url, why);
  }
  fs::rename(partial, target, ec);
  if (ec) return MakeError("{}: cannot write {}: {}", file_name, target.string(), ec.message());
  return target.string();
}

}  // namespace servebench::dataset
