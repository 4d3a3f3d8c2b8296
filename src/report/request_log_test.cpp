#include "report/request_log.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace servebench::report {
namespace {

using metrics::RequestRecord;
using metrics::RequestStatus;

// A streamed request on a new connection, two token events (the second one's count unknown).
RequestRecord StreamedRecord() {
  RequestRecord r;
  r.index = 7;
  r.request_id = "bench-1-7";
  r.lora = 1;
  r.scheduled_time = 1000;
  r.admit_time = 1500;
  r.send_time = 1600;
  r.connect_start = 1700;
  r.connect_done = 1800;
  r.headers_time = 2000;
  r.first_byte_time = 2100;
  r.AddTokenEvent(2100, 1);
  r.AddTokenEvent(2900, metrics::kUnknownTokens);
  r.event_token_source = metrics::EventTokenSource::kTokenizer;
  r.done_time = 3000;
  r.end_time = 3100;
  r.http_status = 200;
  r.finish_reason = "length";
  r.prompt_tokens_dataset = 12;
  r.prompt_tokens_server = 13;
  r.output_tokens_requested = 2;
  r.output_tokens_server = 2;
  r.output_tokens_retokenized = 3;
  r.bytes_sent = 300;
  r.bytes_received = 512;
  r.generated_text = "never written";
  return r;
}

TEST(RequestLog, LineOfAStreamedRequest) {
  std::vector<std::string> lora = {"a", "b"};
  RequestLogContext context{"measured", 4.0, lora};
  EXPECT_EQ(RenderRequestLogLine(StreamedRecord(), context),
            R"({"phase": "measured", "request_rate": 4.0, "index": 7, "session": null, )"
            R"("round": null, "request_id": "bench-1-7", "scheduled_time": 1000, )"
            R"("admit_time": 1500, "slot_wait": 500, "send_time": 1600, "send_lag": 100, )"
            R"("connect_start": 1700, "connect_done": 1800, "connection_reused": false, )"
            R"("retried": false, "request_written": null, "headers_time": 2000, )"
            R"("first_byte_time": 2100, "event_times": [2100, 2900], "event_tokens": [1, null], )"
            R"("event_token_source": "tokenizer", "first_token_time": 2100, )"
            R"("last_token_time": 2900, "done_time": 3000, "end_time": 3100, "status": "ok", )"
            R"("http_status": 200, "error": null, "finish_reason": "length", )"
            R"("prompt_tokens_dataset": 12, "prompt_tokens_server": 13, )"
            R"("output_tokens_requested": 2, "output_tokens_server": 2, )"
            R"("output_tokens_retokenized": 3, "token_events": 2, "bytes_sent": 300, )"
            R"("bytes_received": 512, "lora": "b", "routing_key": null, )"
            R"("cancel_after_events": null, "unterminated": false})");
}

TEST(RequestLog, LineOfAFailedWarmupRound) {
  RequestRecord r;
  r.index = 0;
  r.session = 3;
  r.round = 1;
  r.request_id = "bench-1-warmup-0";
  r.scheduled_time = -50;
  r.admit_time = -50;
  r.send_time = -40;
  r.connection_reused = true;
  r.routing_key = "k_2";
  r.cancel_after_events = 0;
  r.Fail(RequestStatus::kConnect, 10, "Connection refused");
  RequestLogContext context{"warmup", std::numeric_limits<double>::infinity(), {}};
  std::string line = RenderRequestLogLine(r, context);
  EXPECT_TRUE(line.starts_with(R"({"phase": "warmup", "request_rate": "inf", "index": 0, )"
                               R"("session": 3, "round": 1, ")"))
      << line;
  EXPECT_NE(line.find(R"("slot_wait": 0, "send_time": -40, "send_lag": 10, "connect_start": )"
                      R"(null, "connect_done": null, "connection_reused": true, )"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(R"("event_times": [], "event_tokens": [], "event_token_source": )"
                      R"("unknown", "first_token_time": null, "last_token_time": null, )"
                      R"("done_time": null, "end_time": 10, "status": "connect", )"
                      R"("http_status": null, "error": "Connection refused", )"
                      R"("finish_reason": null, )"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(R"("lora": null, "routing_key": "k_2", "cancel_after_events": 0, )"),
            std::string::npos)
      << line;
}

TEST(RequestLog, FileIsTruncatedThenAppendedLineByLine) {
  std::string path = ::testing::TempDir() + "request_log_test_" + std::to_string(getpid());
  {
    std::ofstream old(path);
    old << "stale content\n";
  }
  auto log = RequestLog::Open(path);
  ASSERT_TRUE(log.has_value()) << log.error().message;
  std::vector<RequestRecord> records(3, StreamedRecord());
  records[1].index = 8;
  ASSERT_TRUE(log->Append(std::span(records).first(1), {"warmup", 1.0, {}}).has_value());
  ASSERT_TRUE(log->Append(std::span(records).subspan(1), {"measured", 2.0, {}}).has_value());

  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with(R"({"phase": "warmup", "request_rate": 1.0, "index": 7,)"));
  EXPECT_TRUE(lines[1].starts_with(R"({"phase": "measured", "request_rate": 2.0, "index": 8,)"));
  EXPECT_TRUE(lines[2].starts_with(R"({"phase": "measured", "request_rate": 2.0, "index": 7,)"));
  EXPECT_EQ(lines[0].find("never written"), std::string::npos);
  std::remove(path.c_str());
}

TEST(RequestLog, UncreatableFileNamesTheFlag) {
  auto log = RequestLog::Open("/nonexistent-dir-for-servebench/log.jsonl");
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error().message.rfind("--request-log /nonexistent-dir-for-servebench/log.jsonl: "
                                      "cannot create: ",
                                      0),
            0u)
      << log.error().message;
}

}  // namespace
}  // namespace servebench::report
