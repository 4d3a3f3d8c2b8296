// RunPhase with multi-turn sessions against a real serve-sim child: every round's history holds
// the text the earlier rounds generated (checked in the bodies sent and in the prompt sizes
// serve-sim recorded), the turn gap is kept, a session holds its slot or worker for its whole
// life, and a failed round ends its session.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

#include "client/run_driver.h"
#include "client/session_plan.h"
#include "protocol/backend.h"
#include "protocol/request_body.h"
#include "tests/support/sim_process.h"

namespace servebench::client {
namespace {

using metrics::RequestRecord;
using metrics::RequestStatus;
using servebench::testing::SimProcess;

constexpr double kInf = std::numeric_limits<double>::infinity();

size_t Words(std::string_view text) {
  std::istringstream in{std::string(text)};
  size_t n = 0;
  for (std::string word; in >> word;)
    ++n;
  return n;
}

// Sessions of `rounds` user messages each; round r's history is the user messages of rounds
// 0..r with the generated replies between them (the SGLang behaviour). Keeps every body it made.
class TestSessions final : public RoundBodies {
 public:
  TestSessions(size_t sessions, size_t rounds, size_t user_words, int64_t output_len)
      : output_len_(output_len) {
    for (size_t s = 0; s < sessions; ++s) {
      std::vector<std::string> users;
      for (size_t r = 0; r < rounds; ++r) {
        std::string text = "session" + std::to_string(s) + " round" + std::to_string(r);
        for (size_t w = 2; w < user_words; ++w)
          text += " word";
        users.push_back(text);
      }
      users_.push_back(std::move(users));
    }
    request_options_.model = "serve-sim";
  }

  Expected<std::string> Body(size_t row, size_t round,
                             std::span<const std::string_view> replies) const override {
    EXPECT_EQ(replies.size(), round);
    protocol::RequestInput input;
    input.kind = protocol::PromptKind::kMessages;
    input.multi_turn = true;
    input.output_len = output_len_;
    for (size_t r = 0; r <= round; ++r) {
      input.messages.push_back({"user", users_[row][r], false});
      if (r < round) input.messages.push_back({"assistant", std::string(replies[r]), false});
    }
    auto body =
        protocol::BuildRequestBody(**protocol::FindBackend("vllm-chat"), input, request_options_);
    if (body) {
      std::lock_guard lock(mutex_);
      sent_[{row, round}] = *body;
    }
    return body;
  }

  const std::string& SentBody(size_t row, size_t round) const { return sent_.at({row, round}); }
  size_t UserWords(size_t row, size_t round) const { return Words(users_[row][round]); }

 private:
  std::vector<std::vector<std::string>> users_;
  int64_t output_len_;
  protocol::RequestOptions request_options_;
  mutable std::mutex mutex_;
  mutable std::map<std::pair<size_t, size_t>, std::string> sent_;
};

struct SessionRun {
  SessionPlan plan;
  std::vector<RequestRecord> records;
  DriverOptions options;
};

SessionRun MakeRun(const SimProcess& sim, const TestSessions& bodies, size_t sessions,
                   size_t rounds, int64_t output_len, int64_t turn_gap_ms, size_t threads) {
  SessionRun run;
  run.plan.rounds.assign(sessions, rounds);
  run.plan.turn_gap_ns = turn_gap_ms * 1'000'000;
  run.plan.bodies = &bodies;
  for (size_t s = 0; s < sessions; ++s) {
    for (size_t r = 0; r < rounds; ++r) {
      RequestRecord record;
      record.index = static_cast<int64_t>(run.records.size());
      record.session = static_cast<int32_t>(s);
      record.round = static_cast<int32_t>(r);
      record.output_tokens_requested = output_len;
      run.records.push_back(std::move(record));
    }
  }
  run.options.url = sim.base_url() + "/v1/chat/completions";
  run.options.header_lines = {"Content-Type: application/json"};
  run.options.request_id_prefix = "s-";
  run.options.threads = threads;
  run.options.http.timeout_ms = 10000;
  run.options.call.reader.style = protocol::Style::kChat;
  run.options.drain_timeout_ns = 200'000'000;
  return run;
}

load::Schedule Sessions(size_t n, double rate, std::optional<int64_t> cap = std::nullopt,
                        std::optional<int64_t> workers = std::nullopt) {
  load::LoadOptions options;
  options.request_rate = rate;
  options.max_concurrency = cap;
  options.concurrency = workers;
  return *load::BuildSchedule(n, options, 42);
}

// request_id -> prompt_tokens as serve-sim counted them (words of every message).
std::map<std::string, int64_t> TracePromptTokens(const std::string& path) {
  std::map<std::string, int64_t> out;
  std::ifstream in(path);
  simdjson::dom::parser parser;
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element t;
    if (parser.parse(line).get(t) != simdjson::SUCCESS) continue;
    out[std::string(std::string_view(t["request_id"]))] = int64_t(t["prompt_tokens"]);
  }
  return out;
}

const RequestRecord& Round(const SessionRun& run, size_t rounds, size_t s, size_t r) {
  return run.records[s * rounds + r];
}

TEST(SessionDriverTest, HistoryCarriesTheGeneratedTextAndTheTurnGapIsKept) {
  std::string trace = ::testing::TempDir() + "session-trace.jsonl";
  std::remove(trace.c_str());
  SimProcess sim({"--instant", "--family", "vllm", "--trace-out", trace});
  ASSERT_TRUE(sim.ok());
  constexpr size_t kSessions = 4, kRounds = 3;
  constexpr int64_t kOutput = 5, kGapMs = 40;
  TestSessions bodies(kSessions, kRounds, 6, kOutput);
  SessionRun run = MakeRun(sim, bodies, kSessions, kRounds, kOutput, kGapMs, 2);
  std::atomic<bool> stop{false};
  DriverProgress progress;
  auto result =
      RunPhase(run.options, Sessions(kSessions, kInf), {}, run.records, stop, &progress, &run.plan);
  ASSERT_TRUE(result) << result.error().message;
  sim.Stop();  // flushes the trace
  EXPECT_EQ(result->not_sent, 0);
  EXPECT_EQ(result->rounds_dropped, 0);
  EXPECT_EQ(progress.ended.load(), static_cast<int64_t>(kSessions * kRounds));
  std::map<std::string, int64_t> server_prompt = TracePromptTokens(trace);
  ASSERT_EQ(server_prompt.size(), kSessions * kRounds);

  for (size_t s = 0; s < kSessions; ++s) {
    size_t history_words = 0;
    for (size_t r = 0; r < kRounds; ++r) {
      const RequestRecord& rec = Round(run, kRounds, s, r);
      ASSERT_TRUE(rec.ok()) << s << "/" << r << ": " << rec.error;
      EXPECT_EQ(rec.token_events(), static_cast<size_t>(kOutput));
      ASSERT_FALSE(rec.generated_text.empty());
      // What serve-sim received: the user messages so far plus every earlier reply.
      history_words += bodies.UserWords(s, r);
      EXPECT_EQ(server_prompt.at(rec.request_id), static_cast<int64_t>(history_words))
          << rec.request_id;
      history_words += Words(rec.generated_text);
      if (r == 0) {
        EXPECT_EQ(rec.scheduled_time, 0);
        continue;
      }
      const RequestRecord& previous = Round(run, kRounds, s, r - 1);
      // The body sent holds the previous round's generated text as an assistant message.
      std::string reply =
          "{\"role\":\"assistant\",\"content\":\"" + previous.generated_text + "\"}";
      EXPECT_NE(bodies.SentBody(s, r).find(reply), std::string::npos) << bodies.SentBody(s, r);
      EXPECT_NE(bodies.SentBody(s, r).find("\"include_usage\":true"), std::string::npos);
      // Ready at the previous end plus the gap; the session's slot is held, so no slot wait.
      EXPECT_EQ(rec.scheduled_time, *previous.end_time + kGapMs * 1'000'000);
      EXPECT_EQ(rec.admit_time, rec.scheduled_time);
      EXPECT_GE(rec.send_time, rec.scheduled_time);
      EXPECT_LT(rec.send_lag(), 30'000'000) << "a loaded machine, but not this loaded";
    }
  }
}

TEST(SessionDriverTest, ASessionHoldsItsSlotForAllItsRounds) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  constexpr size_t kSessions = 3, kRounds = 3;
  constexpr int64_t kGapMs = 20;
  TestSessions bodies(kSessions, kRounds, 3, 3);
  SessionRun run = MakeRun(sim, bodies, kSessions, kRounds, 3, kGapMs, 2);
  std::atomic<bool> stop{false};
  auto result = RunPhase(run.options, Sessions(kSessions, kInf, 1), {}, run.records, stop, nullptr,
                         &run.plan);
  ASSERT_TRUE(result) << result.error().message;
  // One slot: sessions run one after another, in schedule order, none overlapping another.
  for (size_t s = 0; s < kSessions; ++s) {
    for (size_t r = 0; r < kRounds; ++r)
      ASSERT_TRUE(Round(run, kRounds, s, r).ok()) << Round(run, kRounds, s, r).error;
    if (s == 0) continue;
    const RequestRecord& first = Round(run, kRounds, s, 0);
    const RequestRecord& last_of_previous = Round(run, kRounds, s - 1, kRounds - 1);
    EXPECT_EQ(first.admit_time, *last_of_previous.end_time);
    EXPECT_GE(first.send_time, *last_of_previous.end_time);
    // It waited through the previous session's rounds and turn gaps.
    EXPECT_GT(first.slot_wait(), static_cast<int64_t>(kRounds - 1) * kGapMs * 1'000'000 * s);
  }
}

TEST(SessionDriverTest, ClosedLoopWorkersTakeWholeSessions) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  constexpr size_t kSessions = 4, kRounds = 2;
  TestSessions bodies(kSessions, kRounds, 3, 2);
  SessionRun run = MakeRun(sim, bodies, kSessions, kRounds, 2, 0, 1);
  std::atomic<bool> stop{false};
  auto result = RunPhase(run.options, Sessions(kSessions, kInf, std::nullopt, 2), {}, run.records,
                         stop, nullptr, &run.plan);
  ASSERT_TRUE(result) << result.error().message;
  // Two workers: sessions 0 and 1 start at t0; 2 and 3 each start when a session has ended.
  std::vector<int64_t> session_ends;
  for (size_t s = 0; s < kSessions; ++s) {
    for (size_t r = 0; r < kRounds; ++r)
      ASSERT_TRUE(Round(run, kRounds, s, r).ok());
    if (s < 2) {
      EXPECT_EQ(Round(run, kRounds, s, 0).scheduled_time, 0);
    } else {
      int64_t start = Round(run, kRounds, s, 0).scheduled_time;
      EXPECT_TRUE(std::find(session_ends.begin(), session_ends.end(), start) != session_ends.end())
          << "session " << s << " started at " << start << " when no session ended";
    }
    session_ends.push_back(*Round(run, kRounds, s, kRounds - 1).end_time);
  }
}

TEST(SessionDriverTest, AFailedRoundEndsItsSession) {
  // Each round adds 10 user words and 10 generated ones: round 2 asks for 50 + 10 tokens, over
  // the 45-token context, and gets the family's 400 reply.
  SimProcess sim({"--instant", "--family", "vllm", "--max-model-len", "45"});
  ASSERT_TRUE(sim.ok());
  constexpr size_t kSessions = 2, kRounds = 4;
  TestSessions bodies(kSessions, kRounds, 10, 10);
  SessionRun run = MakeRun(sim, bodies, kSessions, kRounds, 10, 0, 1);
  std::atomic<bool> stop{false};
  auto result = RunPhase(run.options, Sessions(kSessions, kInf, 2), {}, run.records, stop, nullptr,
                         &run.plan);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->rounds_dropped, static_cast<int64_t>(kSessions));
  EXPECT_EQ(result->not_sent, 0);
  for (size_t s = 0; s < kSessions; ++s) {
    EXPECT_TRUE(Round(run, kRounds, s, 0).ok());
    EXPECT_TRUE(Round(run, kRounds, s, 1).ok());
    const RequestRecord& failed = Round(run, kRounds, s, 2);
    EXPECT_EQ(failed.status, RequestStatus::kHttpStatus);
    EXPECT_EQ(failed.http_status, 400);
    EXPECT_NE(failed.error.find("context length"), std::string::npos) << failed.error;
    EXPECT_TRUE(result->sent[s * kRounds + 2]);
    EXPECT_FALSE(result->sent[s * kRounds + 3]);
  }
}

TEST(SessionDriverTest, StopLeavesTheRemainingRoundsUnsent) {
  SimProcess sim({"--pace", "20,10", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  constexpr size_t kSessions = 2, kRounds = 5;
  // Long turn gaps: the stop comes while every session waits for its second round.
  TestSessions bodies(kSessions, kRounds, 3, 2);
  SessionRun run = MakeRun(sim, bodies, kSessions, kRounds, 2, 2000, 1);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    stop = true;
  });
  auto result =
      RunPhase(run.options, Sessions(kSessions, kInf), {}, run.records, stop, nullptr, &run.plan);
  stopper.join();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->interrupted);
  EXPECT_EQ(result->rounds_dropped, 0);
  EXPECT_EQ(result->not_sent, static_cast<int64_t>(kSessions * (kRounds - 1)));
  for (size_t s = 0; s < kSessions; ++s)
    EXPECT_TRUE(Round(run, kRounds, s, 0).ok());
}

TEST(SessionDriverTest, RejectsAPlanThatDoesNotMatchTheRecords) {
  TestSessions bodies(2, 2, 3, 2);
  SessionPlan plan;
  plan.rounds = {2, 2};
  plan.bodies = &bodies;
  std::vector<RequestRecord> records(3);
  DriverOptions options;
  std::atomic<bool> stop{false};
  auto result = RunPhase(options, Sessions(2, kInf), {}, records, stop, nullptr, &plan);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("session plan"), std::string::npos);
}

}  // namespace
}  // namespace servebench::client
