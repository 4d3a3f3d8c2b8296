// What every serve-sim connection shares: the options, the engine, the trace and the counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "sim/engine.h"
#include "sim/options.h"
#include "sim/trace.h"
#include "tokenizer/tokenizer.h"

namespace servebench::sim {

struct ServerState {
  explicit ServerState(SimOptions opts) : options(std::move(opts)) {}

  const SimOptions options;
  std::unique_ptr<Engine> engine;                   // null with --pace or --instant
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;  // null: prompts counted in words
  TraceWriter trace;
  int64_t started_unix = 0;

  std::atomic<uint64_t> next_seq{1};  // request numbers count from 1
  // Requests between parse and last byte: /flush_cache refuses while any run.
  std::atomic<int> active_requests{0};
  std::atomic<int64_t> requests_total{0};
  std::atomic<int64_t> requests_succeeded{0};
  std::atomic<int64_t> prompt_tokens_total{0};
  std::atomic<int64_t> generation_tokens_total{0};
};

}  // namespace servebench::sim
