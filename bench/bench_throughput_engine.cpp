// How fast `servebench throughput --engine sim` computes a profile: RunClosedLoop over the
// default engine model with ShareGPT-like lengths (prompt 4..1024, output 4..1024 tokens,
// prompt + output <= 2048, drawn from a fixed seed), at several worker counts. Prints the
// engine time the model predicts and the wall-clock time it took to compute it.
//
// Usage: bench_throughput_engine [requests=2000]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "sim/closed_loop.h"

using servebench::sim::ClosedLoopOptions;
using servebench::sim::ClosedLoopOutcome;
using servebench::sim::ClosedLoopRequest;

int main(int argc, char** argv) {
  size_t n = argc > 1 ? static_cast<size_t>(std::atol(argv[1])) : 2000;
  std::mt19937_64 rng(0);
  // Log-uniform lengths: many short turns, a few long ones, as in ShareGPT.
  std::uniform_real_distribution<double> log_len(std::log(4.0), std::log(1024.0));
  std::vector<ClosedLoopRequest> requests;
  int64_t output_tokens = 0;
  while (requests.size() < n) {
    int prompt = static_cast<int>(std::exp(log_len(rng)));
    int output = static_cast<int>(std::exp(log_len(rng)));
    if (prompt + output > 2048) continue;
    requests.push_back({prompt, output});
    output_tokens += output;
  }
  std::printf("%zu requests, %lld output tokens, default engine model\n", n,
              static_cast<long long>(output_tokens));
  std::printf("%8s %14s %16s %12s %14s\n", "workers", "engine time s", "output tok/s", "compute ms",
              "tokens/compute s");
  for (int64_t workers : {1, 16, 64, 256}) {
    ClosedLoopOptions options;
    options.workers = workers;
    auto start = std::chrono::steady_clock::now();
    std::vector<ClosedLoopOutcome> out = servebench::sim::RunClosedLoop(options, requests);
    double compute_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int64_t end = 0;
    for (const ClosedLoopOutcome& o : out)
      end = std::max(end, o.token_ns.back());
    double engine_s = static_cast<double>(end) / 1e9;
    std::printf("%8lld %14.2f %16.1f %12.1f %14.3g\n", static_cast<long long>(workers), engine_s,
                static_cast<double>(output_tokens) / engine_s, compute_s * 1000,
                static_cast<double>(output_tokens) / compute_s);
  }
  return 0;
}
