// RunDriver: sends one phase of a run (warmup or measured) and fills its request records.
//
// `--client-threads` HttpLoops, each on its own thread; request k of the schedule belongs to
// loop k mod threads for its whole life (its call, reader and record are touched only there).
//   - open loop: every request is posted up front at t0 + its offset;
//   - `--max-concurrency`: one SlotQueue shared under a mutex; a request's admission (at
//     g = max(s, release)) is posted to the loop that owns it;
//   - `--concurrency` (closed loop): a ClosedLoop under the same mutex; a worker's next request
//     is posted when its previous one ends.
// With a SessionPlan, a schedule position is a multi-turn session (session_plan.h): its rounds
// run one after another on one loop and hold one slot or worker together.
// Stopping (Ctrl-C): no further request is sent; requests in flight get `drain_timeout` to end,
// then end as `cancelled`; requests never sent are reported as not sent.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "client/http_loop.h"
#include "client/request_call.h"
#include "client/session_plan.h"
#include "common/status.h"
#include "load/schedule.h"
#include "metrics/request_record.h"

namespace servebench::client {

struct DriverOptions {
  std::string url;                        // request URL
  std::vector<std::string> header_lines;  // "Name: value", sent with every request
  std::string request_id_prefix;          // X-Request-Id: prefix + record index
  HttpLoopOptions http;
  size_t threads = 1;  // --client-threads
  CallSetup call;      // t0 is set by Run()
  int64_t drain_timeout_ns = 0;
};

// Live counters for the progress line, read with relaxed loads from another thread.
struct DriverProgress {
  std::atomic<int64_t> ended{0};
  std::atomic<int64_t> failed{0};
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> output_tokens{0};  // O_i of the ended requests (default rules)
};

struct DriverResult {
  int64_t t0 = 0;              // monotonic ns the phase's times are relative to
  int64_t start_unix_ns = 0;   // CLOCK_REALTIME next to t0
  std::vector<bool> sent;      // per record
  int64_t not_sent = 0;        // never sent because the run stopped first
  int64_t rounds_dropped = 0;  // session rounds never sent because an earlier round failed
  bool interrupted = false;
};

// Runs `records.size()` requests: record i is sent with bodies[i] (the caller filled its index,
// prompt and requested output counts). `schedule.order` maps send positions to record indexes.
// With `sessions`, `schedule.order` maps positions to workload rows, the records are the rounds
// (laid out as SessionPlan says) and `bodies` is unused: sessions->bodies makes every body.
// `stop` is polled; setting it stops the phase as described above.
Expected<DriverResult> RunPhase(const DriverOptions& options, const load::Schedule& schedule,
                                std::span<const std::string> bodies,
                                std::span<metrics::RequestRecord> records,
                                const std::atomic<bool>& stop, DriverProgress* progress = nullptr,
                                const SessionPlan* sessions = nullptr);

}  // namespace servebench::client
