#include "client/http_get.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/clock.h"

namespace servebench::client {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One request: a GET, or a POST of `post_body` when it is not null.
GetResult Perform(const std::string& url, const std::vector<std::string>& header_lines,
                  const std::string* post_body, int64_t timeout_ms, const Transport& transport) {
  GetResult result;
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const std::string& line : header_lines)
    headers = curl_slist_append(headers, line.c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
  if (post_body != nullptr) {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  ApplyTransport(easy, url, transport);
  CURLcode code = curl_easy_perform(easy);
  if (code == CURLE_OK) {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
  } else {
    result.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return result;
}

}  // namespace

GetResult HttpGet(const std::string& url, const std::vector<std::string>& header_lines,
                  int64_t timeout_ms, const Transport& transport) {
  return Perform(url, header_lines, nullptr, timeout_ms, transport);
}

GetResult HttpPost(const std::string& url, const std::vector<std::string>& header_lines,
                   const std::string& body, int64_t timeout_ms, const Transport& transport) {
  return Perform(url, header_lines, &body, timeout_ms, transport);
}

Status WaitReady(const std::string& url, const std::vector<std::string>& header_lines,
                 double timeout_s, const Transport& transport) {
  const int64_t deadline = MonotonicNanos() + static_cast<int64_t>(timeout_s * 1e9);
  std::string last;
  for (;;) {
    int64_t probe_start = MonotonicNanos();
    int64_t left_ms = std::max<int64_t>((deadline - probe_start) / 1'000'000, 1);
    GetResult r = HttpGet(url, header_lines, std::min<int64_t>(5000, left_ms), transport);
    if (r.status == 200) return Ok();
    last = r.status == 0 ? r.error : "HTTP " + std::to_string(r.status);
    int64_t next = probe_start + 1'000'000'000;
    if (next >= deadline) break;
    std::this_thread::sleep_for(std::chrono::nanoseconds(next - MonotonicNanos()));
  }
  return MakeError("server not ready at {} after {} s (--ready-check-timeout-sec): {}", url,
                   timeout_s, last);
}

}  // namespace servebench::client
