// The per-run files beside the JSONL, end to end: vLLM's result file (`--save-result`,
// `--save-detailed`, `--append-result`, `--result-dir`, `--result-filename`, `--label`,
// `--metadata`) and the request log (`--request-log`), written by the built binary against a
// serve-sim child.
#include <signal.h>
#include <simdjson.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/sim_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

// The console's "Read stamps:" row with `value`, padded as the table pads its labels.
std::string ReadStampsLine(std::string_view value) {
  return fmt::format("{:<40} {}", "Read stamps:", value);
}
using testing::RunServebench;
using testing::SimProcess;

class ResultFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::RequireTokenizerFixture(); }

  // A fresh, absent directory path in the test temp dir.
  static std::string FreshDir(std::string_view name) {
    std::string dir = testing::TempPath("result-files-e2e", name);
    fs::remove_all(dir);
    return dir;
  }

  // A random-ids run of `prompts` requests of 16 input and `output` output tokens.
  static std::vector<std::string> Args(const std::string& base_url, const std::string& jsonl,
                                       int prompts, const std::vector<std::string>& more,
                                       int output = 4) {
    std::vector<std::string> args = {
        "--num-prompts",       std::to_string(prompts), "--random-input-len",   "16",
        "--random-output-len", std::to_string(output),  "--random-range-ratio", "1.0"};
    args.insert(args.end(), more.begin(), more.end());
    return testing::SmallRunArgs(base_url, jsonl, args);
  }

  static std::vector<std::string> FilesIn(const std::string& dir) {
    std::vector<std::string> names;
    if (!fs::is_directory(dir)) return names;
    for (const auto& entry : fs::directory_iterator(dir))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::vector<std::string> Keys(simdjson::dom::object object) {
    std::vector<std::string> keys;
    for (auto field : object)
      keys.emplace_back(field.key);
    return keys;
  }

  simdjson::dom::element Parse(const std::string& line) {
    simdjson::dom::element doc;
    parsers_.emplace_back();
    EXPECT_EQ(parsers_.back().parse(line).get(doc), simdjson::SUCCESS) << line;
    return doc;
  }

  std::list<simdjson::dom::parser> parsers_;  // one per parsed line: elements point into them
};

// serve-sim requires the key: every request succeeding shows OPENAI_API_KEY went out as the
// Bearer token, and it is in no output.
TEST_F(ResultFilesTest, SaveResultWritesVllmsNameAndKeysWithoutTheApiKey) {
  SimProcess sim({"--instant", "--family", "vllm", "--api-key", "sk-e2e-secret-4711"});
  ASSERT_TRUE(sim.ok());
  std::string dir = FreshDir("vllm-dir") + "/nested";
  std::string jsonl = testing::TempPath("result-files-e2e", "keys.jsonl");
  setenv("OPENAI_API_KEY", "sk-e2e-secret-4711", 1);
  ProcessResult r = RunServebench(
      Args(sim.base_url(), jsonl, 6,
           {"--backend", "vllm", "--max-concurrency", "2", "--save-result", "--result-dir", dir,
            "--metric-percentiles", "50,99", "--metadata", "gpu=H100", "note = two words"}));
  unsetenv("OPENAI_API_KEY");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("sk-e2e-secret-4711"), std::string::npos);
  EXPECT_EQ(r.err.find("sk-e2e-secret-4711"), std::string::npos);
  EXPECT_EQ(testing::ReadWhole(jsonl).find("sk-e2e-secret-4711"), std::string::npos);
  std::vector<std::string> files = FilesIn(dir);
  ASSERT_EQ(files.size(), 1u);
  std::smatch stamp;
  ASSERT_TRUE(std::regex_match(
      files[0], stamp, std::regex(R"(vllm-infqps-concurrency2-serve-sim-(\d{8}-\d{6})\.json)")))
      << files[0];
  std::string text = testing::ReadWhole(dir + "/" + files[0]);
  EXPECT_EQ(text.find("sk-e2e-secret-4711"), std::string::npos);
  ASSERT_EQ(testing::NonEmptyLines(dir + "/" + files[0]).size(), 1u);
  simdjson::dom::element doc = Parse(text);

  std::vector<std::string> expected = {"date",
                                       "endpoint_type",
                                       "backend",
                                       "label",
                                       "model_id",
                                       "tokenizer_id",
                                       "num_prompts",
                                       "gpu",
                                       "note",
                                       "request_rate",
                                       "burstiness",
                                       "max_concurrency",
                                       "duration",
                                       "completed",
                                       "failed",
                                       "total_input_tokens",
                                       "total_output_tokens",
                                       "request_throughput",
                                       "request_goodput",
                                       "output_throughput",
                                       "total_token_throughput",
                                       "max_output_tokens_per_s",
                                       "max_concurrent_requests"};
  for (std::string metric : {"ttft", "tpot", "itl", "e2el"}) {
    for (std::string stat : {"mean", "median", "std", "p50", "p99"})
      expected.push_back(stat + "_" + metric + "_ms");
  }
  EXPECT_EQ(Keys(doc.get_object()), expected);
  EXPECT_EQ(std::string_view(doc["date"]), stamp[1].str());
  EXPECT_EQ(std::string_view(doc["label"]), "vllm");
  EXPECT_EQ(std::string_view(doc["gpu"]), "H100");
  EXPECT_EQ(std::string_view(doc["note"]), "two words");
  EXPECT_EQ(std::string_view(doc["request_rate"]), "inf");
  EXPECT_EQ(int64_t(doc["max_concurrency"]), 2);
  EXPECT_EQ(int64_t(doc["completed"]), 6);
  EXPECT_EQ(int64_t(doc["total_output_tokens"]), 24);
  EXPECT_EQ(std::string_view(doc["model_id"]), "serve-sim");
}

TEST_F(ResultFilesTest, SaveDetailedArraysHaveOneEntryPerCompletedRequest) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string dir = FreshDir("detailed");
  std::string jsonl = testing::TempPath("result-files-e2e", "detailed.jsonl");
  ProcessResult r = RunServebench(Args(sim.base_url(), jsonl, 7,
                                       {"--backend", "vllm", "--save-result", "--save-detailed",
                                        "--result-dir", dir, "--label", "mine"},
                                       5));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files = FilesIn(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].starts_with("mine-infqps-serve-sim-")) << files[0];
  simdjson::dom::element doc = Parse(testing::ReadWhole(dir + "/" + files[0]));
  EXPECT_EQ(std::string_view(doc["label"]), "mine");
  int64_t completed = int64_t(doc["completed"]);
  EXPECT_EQ(completed, 7);
  for (const char* key :
       {"input_lens", "output_lens", "start_times", "ttfts", "itls", "generated_texts", "errors"}) {
    simdjson::dom::array array;
    ASSERT_EQ(doc[key].get(array), simdjson::SUCCESS) << key;
    EXPECT_EQ(static_cast<int64_t>(array.size()), completed) << key;
  }
  for (simdjson::dom::element itls : doc["itls"].get_array()) {
    EXPECT_EQ(itls.get_array().size(), 4u);  // 5 tokens, one per event
  }
  for (simdjson::dom::element length : doc["output_lens"].get_array())
    EXPECT_EQ(int64_t(length), 5);
}

TEST_F(ResultFilesTest, AppendResultAddsALinePerRunAndSaveResultOverwrites) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string dir = FreshDir("append");
  std::string jsonl = testing::TempPath("result-files-e2e", "append.jsonl");
  std::string file = dir + "/fixed.json";
  auto run = [&](std::vector<std::string> more, int prompts) {
    more.insert(more.end(), {"--result-dir", dir, "--result-filename", "fixed.json"});
    ProcessResult r = RunServebench(Args(sim.base_url(), jsonl, prompts, more));
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  run({"--append-result"}, 3);  // --append-result alone writes the file, as in vLLM
  run({"--save-result", "--append-result"}, 4);
  std::vector<std::string> lines = testing::NonEmptyLines(file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(int64_t(Parse(lines[0])["num_prompts"]), 3);
  EXPECT_EQ(int64_t(Parse(lines[1])["num_prompts"]), 4);
  run({"--save-result"}, 5);
  lines = testing::NonEmptyLines(file);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(int64_t(Parse(lines[0])["num_prompts"]), 5);
}

TEST_F(ResultFilesTest, SweepWritesAFilePerRateOrAppendsToANamedOne) {
  SimProcess sim({"--instant"});
  ASSERT_TRUE(sim.ok());
  std::string dir = FreshDir("sweep");
  std::string jsonl = testing::TempPath("result-files-e2e", "sweep.jsonl");
  std::string log = testing::TempPath("result-files-e2e", "sweep-log.jsonl");
  std::vector<std::string> sweep = {
      "--multi", "--request-rates", "200,400", "--save-result", "--result-dir",
      dir,       "--request-log",   log};
  ProcessResult r = RunServebench(Args(sim.base_url(), jsonl, 4, sweep));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files = FilesIn(dir);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(files[0].starts_with("sglang-200.0qps-serve-sim-")) << files[0];
  EXPECT_TRUE(files[1].starts_with("sglang-400.0qps-serve-sim-")) << files[1];
  // The log holds both rates, each with its warmup request.
  std::map<std::string, int> per_phase_and_rate;
  for (const std::string& line : testing::NonEmptyLines(log)) {
    simdjson::dom::element doc = Parse(line);
    per_phase_and_rate[std::string(std::string_view(doc["phase"])) + "@" +
                       std::to_string(int64_t(double(doc["request_rate"])))]++;
  }
  EXPECT_EQ(per_phase_and_rate,
            (std::map<std::string, int>{
                {"measured@200", 4}, {"measured@400", 4}, {"warmup@200", 1}, {"warmup@400", 1}}));

  sweep.insert(sweep.end(), {"--result-filename", "sweep.json"});
  r = RunServebench(Args(sim.base_url(), jsonl, 4, sweep));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = testing::NonEmptyLines(dir + "/sweep.json");
  ASSERT_EQ(lines.size(), 2u);  // the second rate appended, not overwritten
  EXPECT_EQ(double(Parse(lines[0])["request_rate"]), 200.0);
  EXPECT_EQ(double(Parse(lines[1])["request_rate"]), 400.0);
  EXPECT_EQ(testing::NonEmptyLines(log).size(), 10u);  // truncated by the second run
}

TEST_F(ResultFilesTest, RequestLogHasALinePerRequestMatchingItsRecord) {
  SimProcess sim({"--pace", "5,1", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("result-files-e2e", "log-details.jsonl");
  std::string log = testing::TempPath("result-files-e2e", "requests.jsonl");
  ProcessResult r =
      RunServebench(Args(sim.base_url(), jsonl, 9,
                         {"--backend", "vllm", "--request-rate", "100", "--warmup-requests", "2",
                          "--output-details", "--request-log", log, "--no-kernel-timestamps"},
                         6));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(ReadStampsLine("user space")), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("socket wait"), std::string::npos) << r.out;
  testing::LastJsonLine result(jsonl);
  simdjson::dom::element details = result.element();
  EXPECT_EQ(std::string_view(details["client_overhead"]["read_stamps"]), "user");
  EXPECT_EQ(details["client_overhead"]["socket_wait_p99_ms"].error(), simdjson::NO_SUCH_FIELD);
  std::vector<std::string> ids;
  for (simdjson::dom::element id : details["request_ids"].get_array())
    ids.emplace_back(std::string_view(id));
  std::vector<int64_t> events;
  for (simdjson::dom::element e : details["token_events"].get_array())
    events.push_back(int64_t(e));
  ASSERT_EQ(ids.size(), 9u);

  std::vector<std::string> lines = testing::NonEmptyLines(log);
  ASSERT_EQ(lines.size(), 11u);
  size_t measured = 0, new_connections = 0;
  for (const std::string& line : lines) {
    simdjson::dom::element doc = Parse(line);
    std::string_view phase = doc["phase"];
    std::string_view id = doc["request_id"];
    if (phase == "warmup") {
      EXPECT_NE(id.find("warmup-"), std::string_view::npos) << line;
      continue;
    }
    ASSERT_EQ(phase, "measured") << line;
    ASSERT_LT(measured, ids.size());
    EXPECT_EQ(id, ids[measured]) << line;
    EXPECT_EQ(std::string_view(doc["status"]), "ok") << line;
    EXPECT_EQ(int64_t(doc["http_status"]), 200) << line;
    simdjson::dom::array times = doc["event_times"], tokens = doc["event_tokens"];
    EXPECT_EQ(doc["event_socket_waits"].error(), simdjson::NO_SUCH_FIELD)
        << "kernel read stamps only";
    EXPECT_EQ(static_cast<int64_t>(times.size()), events[measured]) << line;
    EXPECT_EQ(static_cast<int64_t>(times.size()), int64_t(doc["token_events"])) << line;
    EXPECT_EQ(tokens.size(), times.size()) << line;
    int64_t token_sum = 0, previous = int64_t(doc["send_time"]);
    for (simdjson::dom::element t : times) {
      EXPECT_GE(int64_t(t), previous) << line;
      previous = int64_t(t);
    }
    for (simdjson::dom::element n : tokens)
      token_sum += int64_t(n);
    EXPECT_EQ(token_sum, int64_t(doc["output_tokens_server"])) << line;
    EXPECT_EQ(int64_t(doc["first_token_time"]), int64_t(times.at(0))) << line;
    EXPECT_EQ(int64_t(doc["last_token_time"]), int64_t(times.at(times.size() - 1))) << line;
    EXPECT_GE(int64_t(doc["end_time"]), previous) << line;
    EXPECT_EQ(int64_t(doc["slot_wait"]),
              int64_t(doc["admit_time"]) - int64_t(doc["scheduled_time"]))
        << line;
    EXPECT_EQ(int64_t(doc["send_lag"]), int64_t(doc["send_time"]) - int64_t(doc["admit_time"]))
        << line;
    // A new connection's set-up lies between the send and the first response byte; a reused
    // connection has none.
    if (bool(doc["connection_reused"])) {
      EXPECT_TRUE(doc["connect_start"].is_null()) << line;
      EXPECT_TRUE(doc["connect_done"].is_null()) << line;
    } else {
      ++new_connections;
      EXPECT_EQ(int64_t(doc["connect_start"]), int64_t(doc["send_time"])) << line;
      EXPECT_GT(int64_t(doc["connect_done"]), int64_t(doc["connect_start"])) << line;
      EXPECT_LT(int64_t(doc["connect_done"]), int64_t(doc["first_byte_time"])) << line;
    }
    ++measured;
  }
  EXPECT_EQ(measured, 9u);
  EXPECT_GT(new_connections, 0u);  // the measured phase opens its own connections
}

// Warmup requests are released together but go through the run's --max-concurrency cap (load.md
// §9): in the request log, no more than 2 warmup requests overlap, and 2 do.
TEST_F(ResultFilesTest, WarmupRequestsRespectTheConcurrencyCap) {
  SimProcess sim({"--pace", "20,5", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("result-files-e2e", "warmup-cap.jsonl");
  std::string log = testing::TempPath("result-files-e2e", "warmup-cap-requests.jsonl");
  ProcessResult r = RunServebench(Args(sim.base_url(), jsonl, 2,
                                       {"--backend", "vllm", "--warmup-requests", "6",
                                        "--max-concurrency", "2", "--request-log", log}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::pair<int64_t, int>> edges;  // (time, +1 at send / -1 at end)
  for (const std::string& line : testing::NonEmptyLines(log)) {
    simdjson::dom::element doc = Parse(line);
    if (std::string_view(doc["phase"]) != "warmup") continue;
    EXPECT_EQ(std::string_view(doc["status"]), "ok") << line;
    edges.emplace_back(int64_t(doc["send_time"]), +1);
    edges.emplace_back(int64_t(doc["end_time"]), -1);
  }
  ASSERT_EQ(edges.size(), 12u);
  std::sort(edges.begin(), edges.end());  // an end sorts before a send at the same instant
  int in_flight = 0, peak = 0;
  for (auto [time, step] : edges) {
    in_flight += step;
    peak = std::max(peak, in_flight);
  }
  EXPECT_EQ(peak, 2);
}

// Kernel read stamps, the default where the system gives them (--kernel-timestamps requires them):
// each token event's socket wait is in the request log beside its time, and their distribution is
// in the JSONL line and on the console.
TEST_F(ResultFilesTest, KernelTimestampsLogEachEventsSocketWait) {
  SimProcess sim({"--pace", "5,2", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string jsonl = testing::TempPath("result-files-e2e", "kernel-stamps.jsonl");
  std::string log = testing::TempPath("result-files-e2e", "kernel-stamps-requests.jsonl");
  std::remove(jsonl.c_str());
  ProcessResult r =
      RunServebench(Args(sim.base_url(), jsonl, 6,
                         {"--backend", "vllm", "--request-rate", "50", "--request-log", log}, 5));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("user space"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find(ReadStampsLine("kernel")), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("P99 socket wait (ms):"), std::string::npos) << r.out;
  testing::LastJsonLine result(jsonl);
  simdjson::dom::element overhead = result.element()["client_overhead"];
  EXPECT_EQ(std::string_view(overhead["read_stamps"]), "kernel");
  double median = overhead["socket_wait_median_ms"], p99 = overhead["socket_wait_p99_ms"],
         max = overhead["socket_wait_max_ms"], mean = overhead["socket_wait_mean_ms"];
  EXPECT_GE(median, 0);
  EXPECT_GE(p99, median);
  EXPECT_GE(max, p99);
  EXPECT_GT(max, 0) << "a read never comes before the bytes arrive";
  EXPECT_LE(mean, max);
  std::vector<std::string> lines = testing::NonEmptyLines(log);
  ASSERT_EQ(lines.size(), 7u);  // the warmup request and six measured ones
  int64_t largest = 0;
  for (const std::string& line : lines) {
    simdjson::dom::element doc = Parse(line);
    if (std::string_view(doc["phase"]) == "warmup") continue;
    simdjson::dom::array times = doc["event_times"], waits = doc["event_socket_waits"];
    ASSERT_EQ(times.size(), 5u) << line;
    ASSERT_EQ(waits.size(), times.size()) << line;
    for (simdjson::dom::element w : waits) {
      EXPECT_GE(int64_t(w), 0) << line;
      largest = std::max(largest, int64_t(w));
    }
  }
  EXPECT_NEAR(static_cast<double>(largest) / 1e6, max, 1e-6);
}

// The signal comes once serve-sim reports requests running (its /metrics), not after a fixed
// delay: set-up takes seconds in a sanitizer build on a loaded machine. Requests are about 2 s
// long, so some are still in flight after the 0.2 s drain.
TEST_F(ResultFilesTest, InterruptedRunStillWritesBothFiles) {
  SimProcess sim({"--pace", "20,50", "--family", "vllm"});
  ASSERT_TRUE(sim.ok());
  std::string dir = FreshDir("interrupted");
  std::string jsonl = testing::TempPath("result-files-e2e", "interrupted.jsonl");
  std::string log = testing::TempPath("result-files-e2e", "interrupted-log.jsonl");
  ProcessResult r = RunServebench(
      Args(sim.base_url(), jsonl, 200,
           {"--backend", "vllm", "--request-rate", "20", "--disable-warmup", "--drain-timeout",
            "0.2", "--save-result", "--result-dir", dir, "--request-log", log},
           40),
      30000,
      [&sim](pid_t pid) {
        testing::HttpClient client(sim.port());
        for (int i = 0; i < 400; ++i) {  // at most 20 s
          std::string body = client.Get("/metrics").body;
          size_t at = body.find("vllm:num_requests_running{");
          size_t value = at == std::string::npos ? at : body.find("} ", at);
          if (value != std::string::npos && std::atoi(body.c_str() + value + 2) >= 3) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(pid, SIGINT);
      },
      1);
  EXPECT_EQ(r.exit_code, 130) << r.err;
  std::vector<std::string> files = FilesIn(dir);
  ASSERT_EQ(files.size(), 1u);
  simdjson::dom::element doc = Parse(testing::ReadWhole(dir + "/" + files[0]));
  int64_t completed = int64_t(doc["completed"]), failed = int64_t(doc["failed"]);
  EXPECT_LT(completed + failed, 200);
  std::vector<std::string> lines = testing::NonEmptyLines(log);
  EXPECT_EQ(static_cast<int64_t>(lines.size()), completed + failed);
  int cancelled = 0;
  for (const std::string& line : lines)
    cancelled += std::string_view(Parse(line)["status"]) == "cancelled";
  EXPECT_GT(cancelled, 0);  // 40 tokens at 50 ms each outlive the 0.2 s drain
}

TEST_F(ResultFilesTest, BadValuesFailInOneLineBeforeAnyServerContact) {
  std::string jsonl = testing::TempPath("result-files-e2e", "bad.jsonl");
  std::string plain_file = testing::TempPath("result-files-e2e", "plain-file");
  { std::ofstream(plain_file) << "x"; }
  // Port 1: nothing listens; a check made after contacting the server would fail differently.
  const std::string unreachable = "http://127.0.0.1:1";
  struct Case {
    std::vector<std::string> flags;
    std::string starts;
  };
  std::vector<Case> cases = {
      {{"--save-result", "--metadata", "gpu=H100", "novalue"},
       "servebench run: --metadata: expected KEY=VALUE, got 'novalue'"},
      {{"--save-result", "--result-dir", plain_file + "/sub"},
       "servebench run: --result-dir " + plain_file + "/sub: cannot create: "},
      {{"--save-result", "--result-filename", "/nonexistent-servebench-dir/r.json"},
       "servebench run: --result-filename /nonexistent-servebench-dir/r.json: directory "},
      {{"--request-log", "/nonexistent-servebench-dir/log.jsonl"},
       "servebench run: --request-log /nonexistent-servebench-dir/log.jsonl: cannot create: "},

      {{"--kernel-timestamps", "--no-kernel-timestamps"},
       "servebench: --kernel-timestamps excludes --no-kernel-timestamps"},
  };
  for (const Case& c : cases) {
    ProcessResult r = RunServebench(Args(unreachable, jsonl, 2, c.flags));
    EXPECT_EQ(r.exit_code, 2) << c.starts << "\n" << r.err;
    EXPECT_TRUE(r.err.starts_with(c.starts)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  std::remove(plain_file.c_str());
}

}  // namespace
}  // namespace servebench
