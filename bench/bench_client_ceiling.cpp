// Issue 5 benchmark 1, the client's ceiling: serve-sim --instant (a child process, one server
// thread) answers 2,000 requests × 256 token events sent at rate inf; the client (RunPhase,
// --client-threads loops) parses every event through SseParser and the vLLM completions reader.
// Prints SSE token events/s parsed by the client and the mean TTFT the client induced.
//
//   bench_client_ceiling [--stamps=user|kernel] [requests] [tokens] [client threads] [family]
// --stamps picks the read stamps: user-space or the kernel's receive time (the run default).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "client/run_driver.h"
#include "common/clock.h"
#include "protocol/request_body.h"

#include "tests/support/sim_process.h"

int main(int argc, char** argv) {
  using namespace servebench;
  bool kernel_timestamps = true;
  if (argc >= 2 && std::string_view(argv[1]).starts_with("--stamps=")) {
    std::string_view stamps = argv[1] + std::strlen("--stamps=");
    if (stamps != "user" && stamps != "kernel") {
      std::fprintf(stderr, "--stamps: expected user or kernel, got %s\n", argv[1]);
      return 2;
    }
    kernel_timestamps = stamps == "kernel";
    --argc;
    ++argv;
  }
  const size_t requests = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
  const int64_t tokens = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 256;
  const size_t threads = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2;
  const std::string family = argc > 4 ? argv[4] : "vllm";

  testing::SimProcess sim({"--instant", "--family", family, "--max-model-len", "1000000"});
  if (!sim.ok()) {
    std::fprintf(stderr, "cannot start serve-sim from %s\n", SERVEBENCH_BINARY_DIR);
    return 1;
  }
  const protocol::BackendInfo& backend = **protocol::FindBackend("vllm");
  protocol::RequestOptions request_options;
  request_options.model = "serve-sim";
  request_options.synthetic_dataset = true;
  protocol::RequestInput input;
  input.text = "The capital of France is";
  input.output_len = tokens;
  std::string body = *protocol::BuildRequestBody(backend, input, request_options);
  std::vector<std::string> bodies(requests, body);
  std::vector<metrics::RequestRecord> records(requests);
  for (size_t i = 0; i < requests; ++i) {
    records[i].index = static_cast<int64_t>(i);
    records[i].output_tokens_requested = tokens;
  }
  client::DriverOptions options;
  options.url = sim.base_url() + "/v1/completions";
  options.header_lines = {"Content-Type: application/json"};
  options.request_id_prefix = "ceiling-";
  options.threads = threads;
  options.http.timeout_ms = 120000;
  options.http.kernel_timestamps = kernel_timestamps;
  options.call.kernel_timestamps = kernel_timestamps;
  options.call.reader.style = backend.style;
  load::LoadOptions load_options;
  load::Schedule schedule = *load::BuildSchedule(requests, load_options, 42);

  auto load_average = [] {
    char buf[128] = {};
    FILE* f = std::fopen("/proc/loadavg", "r");
    if (f != nullptr) {
      if (std::fgets(buf, sizeof buf, f) == nullptr) buf[0] = '\0';
      std::fclose(f);
    }
    return std::string(buf);
  };
  const std::string load_before = load_average();
  std::atomic<bool> stop{false};
  int64_t cpu_start = 0;
  {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    cpu_start = ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
  }
  auto result = client::RunPhase(options, schedule, bodies, records, stop);
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return 1;
  }
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  double cpu_s = static_cast<double>(ts.tv_sec * 1'000'000'000LL + ts.tv_nsec - cpu_start) / 1e9;

  int64_t first_send = std::numeric_limits<int64_t>::max(), last_end = 0, events = 0, ok = 0;
  double ttft_sum = 0;
  std::vector<int64_t> lags;
  for (const metrics::RequestRecord& r : records) {
    lags.push_back(r.send_lag());
    first_send = std::min(first_send, r.send_time);
    last_end = std::max(last_end, r.end_time.value_or(0));
    events += static_cast<int64_t>(r.token_events());
    if (r.ok() && !r.event_times.empty()) {
      ++ok;
      ttft_sum += static_cast<double>(r.event_times.front() - r.send_time);
    }
  }
  double span_s = static_cast<double>(last_end - first_send) / 1e9;
  std::printf(
      "client ceiling: %zu requests x %lld tokens, %zu client threads, family %s, %s read "
      "stamps\n",
      requests, static_cast<long long>(tokens), threads, family.c_str(),
      kernel_timestamps ? "kernel" : "user-space");
  std::printf("  succeeded          %lld / %zu\n", static_cast<long long>(ok), requests);
  std::printf("  token events       %lld\n", static_cast<long long>(events));
  std::printf("  span               %.3f s (first send to last end)\n", span_s);
  std::printf("  events/s (wall)    %.0f\n", static_cast<double>(events) / span_s);
  std::printf("  client CPU         %.3f s (%.0f events per client CPU second)\n", cpu_s,
              static_cast<double>(events) / cpu_s);
  std::sort(lags.begin(), lags.end());
  std::printf("  send lag p50/p99   %.3f / %.3f ms\n",
              static_cast<double>(lags[lags.size() / 2]) / 1e6,
              static_cast<double>(lags[lags.size() * 99 / 100]) / 1e6);
  std::printf("  mean TTFT          %.3f ms\n",
              ok ? ttft_sum / static_cast<double>(ok) / 1e6 : 0.0);
  std::printf("  load average       before %s                     after  %s", load_before.c_str(),
              load_average().c_str());
  return ok == static_cast<int64_t>(requests) ? 0 : 1;
}
