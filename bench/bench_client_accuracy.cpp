// Issue 5 benchmarks 2 and 3, the client's timing accuracy and its memory per stream.
//
// serve-sim (a child process, one server thread, --pace TTFT,ITL, --trace-out) writes every
// token event at a known CLOCK_MONOTONIC instant; the client (RunPhase in this process, vLLM
// completions, --client-threads loops) stamps each read with the same clock. Per request:
//   TTFT error = (first token read - send) - (first token write - request received)
//   ITL error  = (read k - read k-1) - (write k - write k-1)
// printed as mean / p50 / p99 / max, signed (measured - true) and absolute.
//
// Memory: a sampler thread reads the in-flight count and VmRSS every 20 ms. The baseline is VmRSS
// just before RunPhase (records, bodies and the sim child already exist; their memory is not
// per stream); the high-water mark is reset then (/proc/self/clear_refs) and read after the
// run. Printed: (peak RSS - baseline) / peak in-flight streams.
//
//   bench_client_accuracy [--stamps=user|kernel|both]              both scenarios of issue 5
//   bench_client_accuracy [--stamps=...] REQUESTS RATE TTFT_MS ITL_MS TOKENS [THREADS]
// THREADS defaults to 1. Each scenario runs with user-space read stamps and with kernel receive
// stamps (--kernel-timestamps, spec/beyond.md 12) unless --stamps picks one.
// The scenarios: 4,000 requests at 800 req/s, --pace 50,20, 64 tokens (~1,000 streams in
// flight); 13,000 requests at 1,000 req/s, --pace 1000,150, 64 tokens (~10,500 in flight, ~67,000
// token events/s at the peak: more than client and serve-sim together get from 2 cores); the
// same streams at --pace 1000,300, 32 tokens (~34,000 events/s).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "client/run_driver.h"
#include "common/clock.h"
#include "protocol/request_body.h"

#include "tests/support/sim_process.h"

namespace {

using namespace servebench;

struct Scenario {
  size_t requests;
  double rate;
  int ttft_ms, itl_ms;
  int64_t tokens;
  // One loop: serve-sim's thread needs most of a core on this 2-core machine, and a second
  // loop competes with it (docs/client-perf.md: at 1,000 streams TTFT error p99 0.9-3.6 ms with
  // one loop, 8.5 ms with two).
  size_t threads = 1;
  bool kernel_timestamps = false;  // --kernel-timestamps: kernel arrival times as read stamps
};

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM").
int64_t StatusKiB(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtoll(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

// VmRSS from /proc/self/statm (cheaper to read than /proc/self/status while the loops run).
int64_t StatmRssKiB() {
  static const int64_t page_kib = sysconf(_SC_PAGESIZE) / 1024;
  std::ifstream in("/proc/self/statm");
  int64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * page_kib;
}

void ResetPeakRss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

void PrintDistribution(const char* name, std::vector<double> us) {
  if (us.empty()) {
    std::printf("  %-22s no samples\n", name);
    return;
  }
  auto stats = [](std::vector<double>& v, double* mean, double* p50, double* p99, double* max) {
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (double x : v)
      sum += x;
    *mean = sum / static_cast<double>(v.size());
    *p50 = v[v.size() / 2];
    *p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    *max = v.back();
  };
  std::vector<double> abs_us(us);
  for (double& x : abs_us)
    x = std::abs(x);
  double mean, p50, p99, max;
  stats(us, &mean, &p50, &p99, &max);
  std::printf(
      "  %-22s %8zu samples  measured-true mean %7.3f  p50 %7.3f  p99 %7.3f  max %8.3f ms\n", name,
      us.size(), mean / 1e3, p50 / 1e3, p99 / 1e3, max / 1e3);
  stats(abs_us, &mean, &p50, &p99, &max);
  std::printf(
      "  %-22s %8s          |measured-true| mean %7.3f  p50 %7.3f  p99 %7.3f  max %8.3f ms\n", "",
      "", mean / 1e3, p50 / 1e3, p99 / 1e3, max / 1e3);
}

// utime + stime of another process, from /proc/PID/stat (fields 14 and 15, in clock ticks).
double ChildCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t ProcessCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

bool Run(const Scenario& s) {
  std::string trace = "/tmp/bench_client_accuracy." + std::to_string(getpid()) + ".trace";
  std::remove(trace.c_str());
  char pace[64];
  std::snprintf(pace, sizeof pace, "%d,%d", s.ttft_ms, s.itl_ms);
  testing::SimProcess sim({"--pace", pace, "--family", "vllm", "--trace-out", trace});
  if (!sim.ok()) {
    std::fprintf(stderr, "cannot start serve-sim from %s\n", SERVEBENCH_BINARY_DIR);
    return false;
  }
  const protocol::BackendInfo& backend = **protocol::FindBackend("vllm");
  protocol::RequestOptions request_options;
  request_options.model = "serve-sim";
  request_options.synthetic_dataset = true;
  protocol::RequestInput input;
  input.text = "The capital of France is";
  input.output_len = s.tokens;
  std::string body = *protocol::BuildRequestBody(backend, input, request_options);
  std::vector<std::string> bodies(s.requests, body);
  std::vector<metrics::RequestRecord> records(s.requests);
  for (size_t i = 0; i < s.requests; ++i) {
    records[i].index = static_cast<int64_t>(i);
    records[i].output_tokens_requested = s.tokens;
  }
  client::DriverOptions options;
  options.url = sim.base_url() + "/v1/completions";
  options.header_lines = {"Content-Type: application/json"};
  options.request_id_prefix = "acc-";
  options.threads = s.threads;
  options.http.timeout_ms = 600'000;
  options.http.kernel_timestamps = s.kernel_timestamps;
  options.call.kernel_timestamps = s.kernel_timestamps;
  options.call.reader.style = backend.style;
  load::LoadOptions load_options;
  load_options.request_rate = s.rate;
  load::Schedule schedule = *load::BuildSchedule(s.requests, load_options, 42);

  std::printf(
      "\naccuracy: %zu requests, Poisson %.0f req/s, --pace %s, %lld tokens, %zu client "
      "threads, vLLM completions, %s read stamps\n",
      s.requests, s.rate, pace, static_cast<long long>(s.tokens), s.threads,
      s.kernel_timestamps ? "kernel" : "user-space");
  std::printf("  load average before  %s", [] {
    static char buf[128] = {};
    std::ifstream("/proc/loadavg").getline(buf, sizeof buf - 1);
    std::strcat(buf, "\n");
    return buf;
  }());

  // Memory sampler.
  client::DriverProgress progress;
  std::atomic<bool> sampling{true};
  int64_t peak_in_flight = 0, rss_at_peak_in_flight = 0, max_rss = 0;
  ResetPeakRss();
  const int64_t baseline_kib = StatusKiB("VmRSS");
  std::thread sampler([&] {
    while (sampling.load()) {
      int64_t in_flight = progress.in_flight.load(std::memory_order_relaxed);
      int64_t rss = StatmRssKiB();
      max_rss = std::max(max_rss, rss);
      if (in_flight > peak_in_flight) {
        peak_in_flight = in_flight;
        rss_at_peak_in_flight = rss;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  std::atomic<bool> stop{false};
  const int64_t cpu_start = ProcessCpuNanos();
  const double sim_cpu_start = ChildCpuSeconds(sim.pid());
  const int64_t wall_start = MonotonicNanos();
  auto result = client::RunPhase(options, schedule, bodies, records, stop, &progress);
  const double cpu_s = static_cast<double>(ProcessCpuNanos() - cpu_start) / 1e9;
  const double sim_cpu_s = ChildCpuSeconds(sim.pid()) - sim_cpu_start;
  const double wall_s = static_cast<double>(MonotonicNanos() - wall_start) / 1e9;
  sampling.store(false);
  sampler.join();
  const int64_t hwm_kib = StatusKiB("VmHWM");
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return false;
  }
  sim.Stop();  // writes the rest of the trace

  struct Truth {
    int64_t received_us;
    std::vector<int64_t> token_us;
  };
  std::unordered_map<std::string, Truth> truth;
  {
    std::ifstream in(trace);
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element t;
      if (parser.parse(line).get(t)) continue;
      Truth tr;
      tr.received_us = int64_t(t["received_us"]);
      simdjson::dom::array times = t["event_us"], tokens = t["event_tokens"];
      for (size_t i = 0; i < times.size(); ++i) {
        if (int64_t(tokens.at(i)) > 0) tr.token_us.push_back(int64_t(times.at(i)));
      }
      truth[std::string(std::string_view(t["request_id"]))] = std::move(tr);
    }
  }
  std::remove(trace.c_str());

  // The TTFT error in two parts: request delivery (server received - client send, connection
  // set-up included) and first-token delivery (client read - server write).
  std::vector<double> ttft_err_us, itl_err_us, lag_us, request_delivery_us, token_delivery_us;
  std::vector<double> delivery_reused_us, delivery_new_us;  // by connection
  std::vector<double> socket_wait_us;  // kernel stamps: how long the bytes waited for the client
  const int64_t t0 = result->t0;
  size_t ok = 0, matched = 0, mismatched = 0, events = 0;
  for (const metrics::RequestRecord& r : records) {
    lag_us.push_back(static_cast<double>(r.send_lag()) / 1e3);
    if (!r.ok()) continue;
    ++ok;
    events += r.event_times.size();
    for (int32_t wait : r.event_socket_waits_ns)
      socket_wait_us.push_back(static_cast<double>(wait) / 1e3);
    auto it = truth.find(r.request_id);
    if (it == truth.end() || it->second.token_us.size() != r.event_times.size() ||
        r.event_times.empty()) {
      ++mismatched;
      continue;
    }
    ++matched;
    const Truth& tr = it->second;
    const double measured_ttft = static_cast<double>(r.event_times[0] - r.send_time) / 1e3;
    const double true_ttft = static_cast<double>(tr.token_us[0] - tr.received_us);
    ttft_err_us.push_back(measured_ttft - true_ttft);
    request_delivery_us.push_back(static_cast<double>(tr.received_us) -
                                  static_cast<double>(t0 + r.send_time) / 1e3);
    (r.connection_reused ? delivery_reused_us : delivery_new_us)
        .push_back(request_delivery_us.back());
    token_delivery_us.push_back(static_cast<double>(t0 + r.event_times[0]) / 1e3 -
                                static_cast<double>(tr.token_us[0]));
    for (size_t k = 1; k < r.event_times.size(); ++k) {
      double measured = static_cast<double>(r.event_times[k] - r.event_times[k - 1]) / 1e3;
      double real = static_cast<double>(tr.token_us[k] - tr.token_us[k - 1]);
      itl_err_us.push_back(measured - real);
    }
  }
  std::sort(lag_us.begin(), lag_us.end());
  std::printf("  succeeded            %zu / %zu (%zu matched to the trace, %zu not)\n", ok,
              s.requests, matched, mismatched);
  std::printf("  send lag p50/p99/max %.3f / %.3f / %.3f ms\n", lag_us[lag_us.size() / 2] / 1e3,
              lag_us[lag_us.size() * 99 / 100] / 1e3, lag_us.back() / 1e3);
  std::printf("  client CPU           %.2f s (%zu token events, %.0f per client CPU second)\n",
              cpu_s, events, static_cast<double>(events) / cpu_s);
  // Both processes share this machine's cores: when together they need most of them, the
  // errors are mostly time spent waiting for a core, in either process.
  std::printf(
      "  serve-sim CPU        %.2f s (%.1f µs per token event; client %.1f µs); both together "
      "%.0f %% of %ld cores over %.1f s\n",
      sim_cpu_s, sim_cpu_s * 1e6 / static_cast<double>(std::max<size_t>(events, 1)),
      cpu_s * 1e6 / static_cast<double>(std::max<size_t>(events, 1)),
      100 * (cpu_s + sim_cpu_s) / (wall_s * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN))),
      sysconf(_SC_NPROCESSORS_ONLN), wall_s);
  PrintDistribution("TTFT error", ttft_err_us);
  PrintDistribution("ITL error", itl_err_us);
  PrintDistribution(" of TTFT: request", request_delivery_us);
  PrintDistribution("   on a reused conn.", delivery_reused_us);
  PrintDistribution("   on a new conn.", delivery_new_us);
  PrintDistribution(" of TTFT: 1st token", token_delivery_us);
  if (s.kernel_timestamps) PrintDistribution("socket wait", socket_wait_us);
  std::printf("  peak in flight       %lld streams\n", static_cast<long long>(peak_in_flight));
  std::printf("  RSS baseline         %.1f MiB (before RunPhase: records, bodies)\n",
              static_cast<double>(baseline_kib) / 1024);
  std::printf(
      "  RSS peak             %.1f MiB (VmHWM; sampled max %.1f MiB, %.1f MiB at peak "
      "in flight)\n",
      static_cast<double>(hwm_kib) / 1024, static_cast<double>(max_rss) / 1024,
      static_cast<double>(rss_at_peak_in_flight) / 1024);
  if (peak_in_flight > 0) {
    std::printf("  per stream           %.1f KiB ((peak - baseline) / peak in flight)\n",
                static_cast<double>(hwm_kib - baseline_kib) / static_cast<double>(peak_in_flight));
  }
  std::printf("  load average after   %s", [] {
    static char buf[128] = {};
    std::ifstream("/proc/loadavg").getline(buf, sizeof buf - 1);
    std::strcat(buf, "\n");
    return buf;
  }());
  return ok == s.requests && mismatched == 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Both this process and the serve-sim child hold one socket per stream.
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    std::printf("RLIMIT_NOFILE %llu\n", static_cast<unsigned long long>(limit.rlim_cur));
  }
  // --stamps user|kernel|both (default both): which read stamps each scenario runs with.
  std::string stamps = "both";
  if (argc >= 2 && std::string_view(argv[1]).starts_with("--stamps=")) {
    stamps = argv[1] + std::strlen("--stamps=");
    --argc;
    ++argv;
  }
  std::vector<Scenario> scenarios;
  if (argc >= 6) {
    Scenario s{std::strtoul(argv[1], nullptr, 10), std::strtod(argv[2], nullptr),
               std::atoi(argv[3]), std::atoi(argv[4]), std::strtol(argv[5], nullptr, 10)};
    if (argc > 6) s.threads = std::strtoul(argv[6], nullptr, 10);
    scenarios.push_back(s);
  } else {
    scenarios.push_back({4000, 800, 50, 20, 64});
    scenarios.push_back({13000, 1000, 1000, 150, 64});
    scenarios.push_back({13000, 1000, 1000, 300, 32});
  }
  bool all = true;
  for (Scenario s : scenarios) {
    if (stamps != "kernel") all = Run(s) && all;
    s.kernel_timestamps = true;
    if (stamps != "user") all = Run(s) && all;
  }
  return all ? 0 : 1;
}
