// `servebench run` timing flags end to end against a serve-sim child: the ramp-up's schedule and
// its rps_change_events in the JSONL line, the ramp flags' validation, and the pause after the
// warmup as serve-sim's trace saw it.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

using testing::FixedLengthRunArgs;
using testing::ProcessResult;
using testing::RunServebench;
using testing::SimProcess;

class TimingE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }
};

TEST_F(TimingE2eTest, LinearRampSpacesRequestsByTheRisingRateAndReportsItsSteps) {
  SimProcess sim({"--instant", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("timing-e2e", "ramp.jsonl");
  std::remove(jsonl.c_str());
  constexpr int kN = 11;
  ProcessResult r = RunServebench(FixedLengthRunArgs(
      sim.base_url(), jsonl,
      {"--backend", "vllm", "--num-prompts", std::to_string(kN), "--burstiness", "inf",
       "--ramp-up-strategy", "linear", "--ramp-up-start-rps", "20", "--ramp-up-end-rps", "70",
       "--warmup-requests", "0", "--output-details"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::LastJsonLine last(jsonl);
  simdjson::dom::element doc = last.element();
  EXPECT_EQ(int64_t(doc["completed"]), kN);
  EXPECT_EQ(std::string_view(doc["ramp_up_strategy"]), "linear");
  EXPECT_EQ(double(doc["ramp_up_start_rps"]), 20.0);
  EXPECT_EQ(double(doc["ramp_up_end_rps"]), 70.0);
  // lambda_i = 20 + 5 i; constant unit gaps, so s_i = sum_{j=1..i} 1 / lambda_j.
  std::vector<double> rate(kN), s(kN, 0.0);
  for (int i = 0; i < kN; ++i) {
    rate[i] = 20.0 + 5.0 * i;
    if (i > 0) s[i] = s[i - 1] + 1.0 / rate[i];
  }
  simdjson::dom::array scheduled = doc["scheduled_times"];
  ASSERT_EQ(scheduled.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i)
    EXPECT_NEAR(double(scheduled.at(i)), s[i], 1e-6) << i;
  // Every integer rate is a new step here (20, 25, ..., 70), each at its request's time.
  simdjson::dom::array events = doc["rps_change_events"];
  ASSERT_EQ(events.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) {
    EXPECT_EQ(int64_t(events.at(i)["rps"]), static_cast<int64_t>(rate[i]));
    EXPECT_NEAR(double(events.at(i)["time_s"]), s[i], 1e-9);
  }
}

TEST_F(TimingE2eTest, RampFlagsAreCheckedBeforeAnythingIsSent) {
  std::string jsonl = testing::TempPath("timing-e2e", "ramp-bad.jsonl");
  // No server is needed: every one of these fails during flag validation.
  struct Case {
    std::vector<std::string> flags;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"--ramp-up-strategy", "linear", "--ramp-up-start-rps", "1"}, "expected all three"},
      {{"--ramp-up-strategy", "cubic", "--ramp-up-start-rps", "1", "--ramp-up-end-rps", "5"},
       "--ramp-up-strategy: expected linear or exponential"},
      {{"--ramp-up-strategy", "exponential", "--ramp-up-start-rps", "0", "--ramp-up-end-rps", "5"},
       "--ramp-up-start-rps"},
      {{"--ramp-up-strategy", "linear", "--ramp-up-start-rps", "1", "--ramp-up-end-rps", "5",
        "--request-rate", "4"},
       "--request-rate must be left at inf"},
      {{"--ramp-up-strategy", "linear", "--ramp-up-start-rps", "1", "--ramp-up-end-rps", "5",
        "--concurrency", "2"},
       "--concurrency cannot be combined with --ramp-up-strategy"},
      {{"--mooncake-slowdown-factor", "0", "--use-trace-timestamps"}, "--mooncake-slowdown-factor"},
      {{"--turn-gap-ms", "-1"}, "--turn-gap-ms"},
      {{"--post-warmup-sleep", "-2"}, "--post-warmup-sleep"},
      {{"--multi-turn-history", "made-up"}, "--multi-turn-history"},
  };
  for (const Case& c : cases) {
    ProcessResult r =
        RunServebench(FixedLengthRunArgs("http://127.0.0.1:9", jsonl, c.flags), 10000);
    EXPECT_EQ(r.exit_code, 2) << c.says << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(TimingE2eTest, PostWarmupSleepPausesBetweenWarmupAndMeasuredPhase) {
  std::string trace = testing::TempPath("timing-e2e", "sleep-trace.jsonl");
  std::remove(trace.c_str());
  SimProcess sim({"--instant", "--family", "vllm", "--trace-out", trace});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("timing-e2e", "sleep.jsonl");
  ProcessResult r =
      RunServebench(FixedLengthRunArgs(sim.base_url(), jsonl,
                                       {"--backend", "vllm", "--num-prompts", "3",
                                        "--warmup-requests", "1", "--post-warmup-sleep", "0.6"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  sim.Stop();  // flushes the trace
  std::ifstream in(trace);
  simdjson::dom::parser parser;
  double warmup_end_us = -1, first_measured_us = -1;
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element t;
    ASSERT_EQ(parser.parse(line).get(t), simdjson::SUCCESS) << line;
    std::string_view id = t["request_id"];
    double received = double(t["received_us"]), last = double(t["last_byte_us"]);
    if (id.find("warmup-") != std::string_view::npos) {
      warmup_end_us = std::max(warmup_end_us, last);
    } else if (first_measured_us < 0 || received < first_measured_us) {
      first_measured_us = received;
    }
  }
  ASSERT_GE(warmup_end_us, 0);
  ASSERT_GE(first_measured_us, 0);
  const double pause_ms = (first_measured_us - warmup_end_us) / 1000.0;
  EXPECT_GE(pause_ms, 600.0);
  EXPECT_LT(pause_ms, 600.0 + 1500.0);  // generous on a loaded machine, yet not a second pause
}

}  // namespace
}  // namespace servebench
