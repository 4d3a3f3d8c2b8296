#include "app/run_prepare.h"

#include "common/descriptors.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "app/compat_flags.h"
#include "app/first_request_ready.h"
#include "app/tokenizer_discovery.h"
#include "client/http_get.h"

namespace servebench::app {
namespace {

std::string RequestIdPrefix(const RunFlags& f) {
  if (f.request_id_prefix) return *f.request_id_prefix;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint32_t hex = static_cast<uint32_t>(ts.tv_nsec ^ (ts.tv_sec * 2654435761u) ^ getpid());
  return fmt::format("bench-{:08x}-", hex);
}

}  // namespace

RunExpected<void> PrepareTarget(const RunFlags& f, Prepared& p) {
  // --compat vllm waits later, with the first request of the workload (first_request_ready.h).
  if (f.ready_check_timeout_s > 0 && !ReadyByFirstRequest(f, p)) {
    Status ready = client::WaitReady(p.target.probe_url, p.target.header_lines,
                                     f.ready_check_timeout_s, p.target.transport);
    if (!ready) return FailWith(kExitNotReady, ready.error().message);
  }
  auto model = DiscoverModel(f, p.target);
  if (!model) return FailWith(kExitNotReady, model.error().message);
  p.model = *model;
  p.request_options.model = p.model;

  p.tokenizer_name = DiscoverTokenizerName(f, p.target, p.model);
  auto tok = LoadRunTokenizer(f, p.tokenizer_name);
  if (!tok) {
    return FailWith(kExitBadInput, fmt::format("--tokenizer: cannot load '{}': {}",
                                               p.tokenizer_name, tok.error().message));
  }
  p.tokenizer = std::move(*tok);
  return {};
}

Status EnsureFileLimit(int64_t needed) {
  int64_t limit = RaiseFileLimit();
  if (limit >= 0 && limit < needed) {
    return MakeError(
        "{} requests may be in flight but RLIMIT_NOFILE (ulimit -n) is {}; raise it or cap "
        "--max-concurrency",
        needed - 64, limit);
  }
  return Ok();
}

client::DriverOptions MakeDriverOptions(const RunFlags& f, const Prepared& p,
                                        const client::TokenCounter& count_tokens) {
  client::DriverOptions driver;
  driver.url = p.target.url;
  driver.header_lines = p.target.header_lines;
  driver.request_id_prefix = RequestIdPrefix(f);
  driver.threads = static_cast<size_t>(p.threads);
  driver.http.transport = p.target.transport;
  driver.http.kernel_timestamps = p.kernel_timestamps();
  driver.call.kernel_timestamps = p.kernel_timestamps();
  double timeout_s = f.request_timeout_s.value_or(21600);
  if (!f.request_timeout_s) {
    if (const char* hours = std::getenv("AIOHTTP_TIMEOUT")) timeout_s = std::atof(hours) * 3600;
  }
  driver.http.timeout_ms = static_cast<int64_t>(timeout_s * 1000);
  driver.http.new_connection_per_request =
      p.compat == metrics::Compat::kSglang || p.compat == metrics::Compat::kLmdeploy;
  driver.call.reader.style = p.target.backend->style;
  driver.call.reader.compat = p.protocol_compat;
  driver.call.reader.stream = !f.disable_stream;
  driver.call.reader.incremental_text = f.incremental_text;
  driver.call.reader.trt_accumulated_text = f.trt_accumulated_text;
  driver.call.max_event_bytes = static_cast<size_t>(f.max_event_bytes);
  driver.call.done_grace_ns = f.done_grace_ms * 1'000'000;
  driver.call.count_tokens = &count_tokens;
  driver.drain_timeout_ns = static_cast<int64_t>(f.drain_timeout_s * 1e9);
  return driver;
}

}  // namespace servebench::app
