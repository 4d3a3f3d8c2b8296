// RunPhase against a real serve-sim child: open loop, --max-concurrency, closed loop, failures
// recorded per request, and a stop that drains and cancels.
#include "client/run_driver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "protocol/backend.h"
#include "protocol/request_body.h"
#include "tests/support/sim_process.h"

namespace servebench::client {
namespace {

using metrics::RequestRecord;
using metrics::RequestStatus;
using servebench::testing::SimProcess;

struct Phase {
  std::vector<std::string> bodies;
  std::vector<RequestRecord> records;
  DriverOptions options;
};

Phase MakePhase(const SimProcess& sim, std::string_view backend_name, size_t n, int64_t output_len,
                size_t threads) {
  Phase phase;
  const protocol::BackendInfo& backend = **protocol::FindBackend(backend_name);
  protocol::RequestOptions request_options;
  request_options.model = "serve-sim";
  request_options.synthetic_dataset = true;
  for (size_t i = 0; i < n; ++i) {
    protocol::RequestInput input;
    input.text = "hello world " + std::to_string(i);
    input.output_len = output_len;
    phase.bodies.push_back(*protocol::BuildRequestBody(backend, input, request_options));
    RequestRecord record;
    record.index = static_cast<int64_t>(i);
    record.output_tokens_requested = output_len;
    phase.records.push_back(std::move(record));
  }
  phase.options.url = sim.base_url() + std::string(backend.path);
  phase.options.header_lines = {"Content-Type: application/json"};
  phase.options.request_id_prefix = "t-";
  phase.options.threads = threads;
  phase.options.http.timeout_ms = 10000;
  phase.options.call.reader.style = backend.style;
  phase.options.drain_timeout_ns = 200'000'000;
  return phase;
}

load::Schedule OpenLoop(size_t n, double rate, std::optional<int64_t> cap = std::nullopt) {
  load::LoadOptions options;
  options.request_rate = rate;
  options.max_concurrency = cap;
  return *load::BuildSchedule(n, options, 42);
}

// The largest number of records whose [send, end] intervals overlap.
int64_t PeakInFlight(const std::vector<RequestRecord>& records) {
  std::vector<std::pair<int64_t, int>> edges;
  for (const RequestRecord& r : records) {
    edges.push_back({r.send_time, 1});
    edges.push_back({*r.end_time, -1});
  }
  std::sort(edges.begin(), edges.end());  // an end before a start at the same instant
  int64_t now = 0, peak = 0;
  for (auto [t, d] : edges) {
    now += d;
    peak = std::max(peak, now);
  }
  return peak;
}

TEST(RunDriverTest, OpenLoopEveryRequestSucceedsWithItsEvents) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "vllm", 40, 16, 2);
  load::Schedule schedule = OpenLoop(40, std::numeric_limits<double>::infinity());
  std::atomic<bool> stop{false};
  DriverProgress progress;
  auto result = RunPhase(phase.options, schedule, phase.bodies, phase.records, stop, &progress);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->interrupted);
  EXPECT_EQ(result->not_sent, 0);
  EXPECT_EQ(progress.ended.load(), 40);
  for (const RequestRecord& r : phase.records) {
    ASSERT_TRUE(r.ok()) << r.index << ": " << r.error;
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.token_events(), 16u);
    EXPECT_EQ(r.output_tokens_server.value_or(0), 16);
    EXPECT_TRUE(r.done_time.has_value());
    EXPECT_GE(r.event_times.front(), r.send_time);
    EXPECT_LE(r.event_times.back(), *r.end_time);
    EXPECT_EQ(r.request_id, "t-" + std::to_string(r.index));
  }
}

TEST(RunDriverTest, TokenizerCountsEventsAfterTheRunWithoutServerCounter) {
  SimProcess sim({"--instant", "--family", "vllm", "--tokens-per-event", "2"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "vllm", 6, 8, 2);
  // serve-sim's tokens are words with a leading space: count the spaces.
  TokenCounter words = [](std::string_view text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), ' '));
  };
  phase.options.call.count_tokens = &words;
  std::atomic<bool> stop{false};
  auto result = RunPhase(phase.options, OpenLoop(6, std::numeric_limits<double>::infinity()),
                         phase.bodies, phase.records, stop);
  ASSERT_TRUE(result);
  for (const RequestRecord& r : phase.records) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.event_token_source, metrics::EventTokenSource::kTokenizer);
    ASSERT_EQ(r.token_events(), 4u);
    for (int32_t tokens : r.event_tokens)
      EXPECT_EQ(tokens, 2);
  }
}

TEST(RunDriverTest, MaxConcurrencyCapsRequestsInFlight) {
  SimProcess sim({"--pace", "10,2", "--family", "sglang"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "sglang", 12, 5, 2);
  load::Schedule schedule = OpenLoop(12, std::numeric_limits<double>::infinity(), 3);
  std::atomic<bool> stop{false};
  auto result = RunPhase(phase.options, schedule, phase.bodies, phase.records, stop);
  ASSERT_TRUE(result) << result.error().message;
  for (const RequestRecord& r : phase.records)
    ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(PeakInFlight(phase.records), 3);
  // Requests beyond the first three waited for a slot.
  int64_t waited = 0;
  for (const RequestRecord& r : phase.records)
    waited += r.slot_wait() > 0;
  EXPECT_EQ(waited, 9);
}

TEST(RunDriverTest, ClosedLoopKeepsWorkersBusy) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "vllm-chat", 10, 4, 1);
  phase.options.url = sim.base_url() + "/v1/chat/completions";
  load::LoadOptions options;
  options.concurrency = 2;
  load::Schedule schedule = *load::BuildSchedule(10, options, 42);
  // Chat bodies for the chat style.
  const protocol::BackendInfo& chat = **protocol::FindBackend("vllm-chat");
  protocol::RequestOptions request_options;
  request_options.model = "serve-sim";
  for (size_t i = 0; i < 10; ++i) {
    protocol::RequestInput input;
    input.text = "hi";
    input.output_len = 4;
    phase.bodies[i] = *protocol::BuildRequestBody(chat, input, request_options);
  }
  std::atomic<bool> stop{false};
  auto result = RunPhase(phase.options, schedule, phase.bodies, phase.records, stop);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(PeakInFlight(phase.records), 2);
  for (const RequestRecord& r : phase.records) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.scheduled_time, r.admit_time);
    EXPECT_EQ(r.token_events(), 4u);
  }
}

TEST(RunDriverTest, FailuresAreRecordedWithReasons) {
  SimProcess sim({"--instant", "--family", "vllm", "--fault", "http-5xx:0.5", "--seed", "3"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "vllm", 30, 8, 1);
  std::atomic<bool> stop{false};
  auto result = RunPhase(phase.options, OpenLoop(30, std::numeric_limits<double>::infinity()),
                         phase.bodies, phase.records, stop);
  ASSERT_TRUE(result);
  int ok = 0, http = 0;
  for (const RequestRecord& r : phase.records) {
    if (r.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(r.status, RequestStatus::kHttpStatus);
      EXPECT_EQ(r.http_status, 500);
      EXPECT_TRUE(r.error.starts_with("HTTP 500")) << r.error;
      ++http;
    }
  }
  EXPECT_EQ(ok + http, 30);
  EXPECT_GT(http, 3);
  EXPECT_GT(ok, 3);
}

TEST(RunDriverTest, UnreachableServerFailsEveryRequestWithConnect) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  Phase phase = MakePhase(sim, "sglang", 3, 4, 1);
  sim.Stop();
  std::atomic<bool> stop{false};
  auto result = RunPhase(phase.options, OpenLoop(3, std::numeric_limits<double>::infinity()),
                         phase.bodies, phase.records, stop);
  ASSERT_TRUE(result);
  for (const RequestRecord& r : phase.records) {
    EXPECT_EQ(r.status, RequestStatus::kConnect) << r.error;
    EXPECT_FALSE(r.error.empty());
  }
}

TEST(RunDriverTest, StopDrainsThenCancelsAndLeavesTheRestUnsent) {
  SimProcess sim({"--pace", "50,100", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  // 50 tokens at 100 ms: 5 s per request; requests every 100 ms.
  Phase phase = MakePhase(sim, "vllm", 20, 50, 1);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    stop = true;
  });
  auto result = RunPhase(phase.options, OpenLoop(20, 10.0), phase.bodies, phase.records, stop);
  stopper.join();
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->interrupted);
  EXPECT_GT(result->not_sent, 10);
  int cancelled = 0;
  for (size_t i = 0; i < phase.records.size(); ++i) {
    if (!result->sent[i]) continue;
    EXPECT_EQ(phase.records[i].status, RequestStatus::kCancelled) << phase.records[i].error;
    ++cancelled;
  }
  EXPECT_GE(cancelled, 1);
  EXPECT_EQ(cancelled + result->not_sent, 20);
}

}  // namespace
}  // namespace servebench::client
