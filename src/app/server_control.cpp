#include "app/server_control.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include <fmt/format.h>

#include "client/http_get.h"
#include "common/clock.h"
#include "report/json_writer.h"

namespace servebench::app {
namespace {

bool IsSglang(const Prepared& p) {
  return p.target.backend->name.starts_with("sglang");
}

std::vector<std::string> ProfilerBaseUrls(const RunFlags& f, const Prepared& p) {
  if (!f.pd_separated) return {p.target.base_url};
  std::vector<std::string> urls = f.profile_prefill_urls;
  urls.insert(urls.end(), f.profile_decode_urls.begin(), f.profile_decode_urls.end());
  if (urls.empty()) urls.push_back(p.target.base_url);
  for (std::string& url : urls) {
    while (url.ends_with('/'))
      url.pop_back();
  }
  return urls;
}

void PostToEach(const RunFlags& f, const Prepared& p, std::string_view path,
                const std::string& body) {
  std::vector<std::string> headers = p.target.header_lines;
  if (!body.empty()) headers.push_back("Content-Type: application/json");
  for (const std::string& base : ProfilerBaseUrls(f, p)) {
    std::string url = base + std::string(path);
    client::GetResult r = client::HttpPost(url, headers, body, 30'000, p.target.transport);
    if (r.status != 200) {
      std::fprintf(stderr, "servebench run: warning: --profile: POST %s: %s\n", url.c_str(),
                   r.status == 0 ? r.error.c_str() : fmt::format("HTTP {}", r.status).c_str());
    }
  }
}

}  // namespace

std::string FlushCacheUrl(const RunFlags& f, const Prepared& p) {
  if (IsSglang(p)) {
    return fmt::format("{}/flush_cache?timeout={}", p.target.base_url, f.flush_cache_timeout_s);
  }
  if (p.target.backend->name.starts_with("vllm")) return p.target.base_url + "/reset_prefix_cache";
  return p.target.base_url + "/flush_cache";
}

bool FlushCache(const RunFlags& f, const Prepared& p, const std::atomic<bool>& stop) {
  const std::string url = FlushCacheUrl(f, p);
  const int64_t deadline = MonotonicNanos() + static_cast<int64_t>(f.flush_cache_timeout_s * 1e9);
  std::string last;
  for (;;) {
    int64_t attempt = MonotonicNanos();
    int64_t left_ms = std::max<int64_t>((deadline - attempt) / 1'000'000, 1);
    client::GetResult r = client::HttpPost(url, p.target.header_lines, "",
                                           std::min<int64_t>(5000, left_ms), p.target.transport);
    if (r.status == 200) return true;
    last = r.status == 0 ? r.error : fmt::format("HTTP {}", r.status);
    int64_t next = attempt + 1'000'000'000;
    if (next >= deadline || stop.load()) break;
    std::this_thread::sleep_for(std::chrono::nanoseconds(next - MonotonicNanos()));
  }
  std::fprintf(stderr,
               "servebench run: warning: --flush-cache: POST %s not accepted within %g s "
               "(--flush-cache-timeout): %s; the run goes on with cache_flushed false\n",
               url.c_str(), f.flush_cache_timeout_s, last.c_str());
  return false;
}

std::string ProfileStartBody(const RunFlags& f, const Prepared& p, int64_t unix_seconds) {
  if (!IsSglang(p)) return "";
  report::JsonWriter w;
  w.BeginObject();
  if (!f.profile_output_dir.empty()) {
    w.Key("output_dir").String(fmt::format("{}/{}", f.profile_output_dir, unix_seconds));
  }
  w.Key("activities").BeginArray();
  if (f.profile_activities.empty()) {
    w.String("CPU").String("GPU");
  } else {
    for (const std::string& a : f.profile_activities)
      w.String(a);
  }
  w.EndArray();
  if (f.profile_steps) w.Key("num_steps").Int(*f.profile_steps);
  if (f.profile_start_step) w.Key("start_step").Int(*f.profile_start_step);
  w.Key("profile_by_stage").Bool(f.profile_by_stage);
  if (!f.profile_stages.empty()) {
    w.Key("profile_stages").BeginArray();
    for (const std::string& s : f.profile_stages)
      w.String(s);
    w.EndArray();
  }
  if (!f.profile_prefix.empty()) w.Key("profile_prefix").String(f.profile_prefix);
  w.EndObject();
  return w.str();
}

void StartProfiler(const RunFlags& f, const Prepared& p) {
  PostToEach(f, p, "/start_profile",
             ProfileStartBody(f, p, static_cast<int64_t>(std::time(nullptr))));
}

void StopProfiler(const RunFlags& f, const Prepared& p) {
  if (f.profile_steps) return;
  PostToEach(f, p, "/stop_profile", "");
}

}  // namespace servebench::app
