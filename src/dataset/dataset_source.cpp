#include "dataset/dataset_source.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

#include "common/clock.h"
#include "tokenizer/hub.h"

namespace servebench::dataset {

namespace fs = std::filesystem;

namespace {

constexpr const char* kShareGptFile = "ShareGPT_V3_unfiltered_cleaned_split.json";
constexpr const char* kShareGptRepo = "anon8231489123/ShareGPT_Vicuna_unfiltered";

struct Transfer {
  CURL* curl = nullptr;
  FILE* file = nullptr;
  bool first_write = true;
  bool write_failed = false;
  bool progress = false;
  int64_t resumed_from = 0;
  int64_t last_draw_ns = 0;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->first_write) {
    t->first_write = false;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 200 && t->resumed_from > 0) {
      // The server ignored the range and sends the whole file: start the file over.
      t->file = std::freopen(nullptr, "wb", t->file);
      t->resumed_from = 0;
      if (t->file == nullptr) {
        t->write_failed = true;
        return 0;
      }
    }
  }
  size_t n = std::fwrite(data, size, count, t->file) * size;
  if (n != size * count) t->write_failed = true;
  return n;
}

int DrawProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  int64_t ns = MonotonicNanos();
  if (!t->progress || ns - t->last_draw_ns < 200'000'000) return 0;
  t->last_draw_ns = ns;
  double done_mb = static_cast<double>(t->resumed_from + now) / 1e6;
  if (total > 0) {
    double total_mb = static_cast<double>(t->resumed_from + total) / 1e6;
    int pct = static_cast<int>(100 * done_mb / total_mb);
    int bar = pct * 30 / 100;
    std::fprintf(stderr, "\rdownloading [%-30s] %3d%%  %.1f / %.1f MB",
                 std::string(bar, '#').c_str(), pct, done_mb, total_mb);
  } else {
    std::fprintf(stderr, "\rdownloading %.1f MB", done_mb);
  }
  return 0;
}

struct Fetched {
  long status = 0;
  std::string error;  // transport or write failure
};

// One GET of `url` appended to `partial` from byte `from` (0: the whole file).
Fetched FetchInto(const std::string& url, const fs::path& partial, int64_t from,
                  const SourceSettings& settings) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Fetched result;
  Transfer t;
  t.progress = settings.progress;
  t.resumed_from = from;
  t.file = std::fopen(partial.c_str(), from > 0 ? "ab" : "wb");
  if (t.file == nullptr) {
    result.error = fmt::format("cannot write {}", partial.string());
    return result;
  }
  CURL* curl = curl_easy_init();
  t.curl = curl;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (!settings.token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + settings.token).c_str());
  }
  std::string range = fmt::format("{}-", from);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (from > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, DrawProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // Only a successful status writes into the file (an error page must not become the data).
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "servebench/" SERVEBENCH_VERSION);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (t.file == nullptr || std::fclose(t.file) != 0) t.write_failed = true;
  if (t.progress) std::fputs("\n", stderr);
  if (t.write_failed) {
    result.error = fmt::format("cannot write {}", partial.string());
  } else if (code != CURLE_OK && code != CURLE_HTTP_RETURNED_ERROR) {
    result.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
  return result;
}

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
  Fetched got = FetchInto(url, partial, have, settings);
  if (got.error.empty() && have > 0 && got.status == 416) {
    // The partial file does not fit what the server has now: start over.
    have = 0;
    got = FetchInto(url, partial, 0, settings);
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
