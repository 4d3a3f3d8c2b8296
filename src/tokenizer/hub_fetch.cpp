#include "tokenizer/hub_fetch.h"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <string_view>

#include <curl/curl.h>
#include <fmt/format.h>

#include "common/clock.h"

namespace servebench::tokenizer {
namespace {

struct Transfer {
  CURL* curl = nullptr;
  FILE* file = nullptr;
  bool first_write = true;
  bool write_failed = false;
  bool progress = false;
  int64_t resumed_from = 0;
  int64_t last_draw_ns = 0;
  std::string* commit = nullptr;
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

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "x-repo-commit:";
  if (t->commit->empty() && line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() &&
             (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      *t->commit = value;
    }
  }
  return size * count;
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

}  // namespace

FetchResult FetchToFile(const FetchRequest& request, const std::filesystem::path& file) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  FetchResult result;
  Transfer t;
  t.progress = request.progress;
  t.resumed_from = request.resume_from;
  t.commit = &result.commit;
  t.file = std::fopen(file.c_str(), request.resume_from > 0 ? "ab" : "wb");
  if (t.file == nullptr) {
    result.error = fmt::format("cannot write {}", file.string());
    return result;
  }
  CURL* curl = curl_easy_init();
  t.curl = curl;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (!request.token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + request.token).c_str());
  }
  std::string range = fmt::format("{}-", request.resume_from);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (request.resume_from > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, DrawProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, request.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "servebench/" SERVEBENCH_VERSION);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (t.file == nullptr || std::fclose(t.file) != 0) t.write_failed = true;
  if (t.progress) std::fputs("\n", stderr);
  if (t.write_failed) {
    result.error = fmt::format("cannot write {}", file.string());
  } else if (code != CURLE_OK && code != CURLE_HTTP_RETURNED_ERROR) {
    result.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
  return result;
}

}  // namespace servebench::tokenizer
