// Every --fault kind over real sockets, with the bytes a client sees and the trace's record.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sim/sim_fixture_test_util.h"

namespace servebench::sim {
namespace {

using servebench::testing::ChunkedResponse;
using servebench::testing::ParseChunked;

constexpr std::string_view kBody =
    R"({"model":"serve-sim","prompt":"a b c","max_tokens":6,"stream":true,"ignore_eos":true})";

class FaultTest : public SimServerTest {
 protected:
  // Starts a vLLM-family instant server with one fault always applied, sends one streamed request
  // on a fresh connection and returns every byte received until close or `timeout_ms`.
  std::string Hit(std::string_view fault, SimOptions o = Instant(), int timeout_ms = 5000) {
    o.family = Family::kVllm;
    Fault f;
    EXPECT_TRUE(ParseFault(fault, &f));
    o.faults.push_back(f);
    o.trace_out = std::string(::testing::TempDir()) + "/fault-trace-" + std::to_string(::getpid());
    trace_path_ = o.trace_out;
    StartServer(o);
    return client_->Raw(client_->RawPost("/v1/completions", std::string(kBody)), timeout_ms,
                        &reads_);
  }

  std::string TraceLine() {
    server_->Stop();
    std::ifstream in(trace_path_);
    std::string line, last;
    while (std::getline(in, line))
      last = line;
    return last;
  }

  std::string trace_path_;
  std::vector<servebench::testing::HttpResponse::Read> reads_;
};

int TokenEvents(const ChunkedResponse& r) {
  int n = 0;
  for (const auto& c : r.chunks)
    n += c.find("\"text\":\"") != std::string::npos;
  return n;
}

TEST(FaultParseTest, KindsAndProbabilities) {
  Fault f;
  EXPECT_TRUE(ParseFault("stall", &f));
  EXPECT_EQ(f.kind, FaultKind::kStall);
  EXPECT_EQ(f.probability, 1.0);
  EXPECT_TRUE(ParseFault("http-429:0.25", &f));
  EXPECT_EQ(f.kind, FaultKind::kHttp429);
  EXPECT_EQ(f.probability, 0.25);
  EXPECT_FALSE(ParseFault("stall:2", &f));
  EXPECT_FALSE(ParseFault("stall:x", &f));
  EXPECT_FALSE(ParseFault("explode", &f));
  EXPECT_NE(FaultKindList().find("no-terminator"), std::string::npos);
}

TEST_F(FaultTest, Refuse) {
  std::string raw = Hit("refuse");
  EXPECT_EQ(raw, "");
  EXPECT_NE(TraceLine().find(R"("faults":["refuse"],"outcome":"refused")"), std::string::npos);
}

TEST_F(FaultTest, ResetBeforeHeaders) {
  std::string raw = Hit("reset-before-headers");
  EXPECT_EQ(raw, "");
  EXPECT_NE(TraceLine().find(R"("outcome":"reset")"), std::string::npos);
}

TEST_F(FaultTest, ResetMidStream) {
  std::string raw = Hit("reset-mid-stream");
  ChunkedResponse r = ParseChunked(raw);
  EXPECT_FALSE(r.terminated);
  EXPECT_EQ(TokenEvents(r), 3);  // half of the six tokens
  EXPECT_EQ(raw.find("[DONE]"), std::string::npos);
  std::string trace = TraceLine();
  EXPECT_NE(trace.find(R"("faults":["reset-mid-stream"])"), std::string::npos) << trace;
  EXPECT_NE(trace.find(R"("output_tokens":3)"), std::string::npos) << trace;
}

TEST_F(FaultTest, HttpErrors) {
  for (auto [fault, status] : {std::pair{"http-4xx", 400}, {"http-5xx", 500}, {"http-429", 429}}) {
    SCOPED_TRACE(fault);
    std::string raw = Hit(fault);
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 " + std::to_string(status))) << raw;
    EXPECT_NE(raw.find(R"("error":{)"), std::string::npos) << "vLLM's nested error object";
    server_->Stop();
  }
}

TEST_F(FaultTest, MalformedEvent) {
  ChunkedResponse r = ParseChunked(Hit("malformed-event"));
  EXPECT_TRUE(r.terminated);
  ASSERT_GE(r.chunks.size(), 3u);
  EXPECT_EQ(r.chunks[1], "data: {\"text\": \"malformed\n\n");
}

TEST_F(FaultTest, TruncatedChunk) {
  std::string raw = Hit("truncated-chunk");
  ChunkedResponse r = ParseChunked(raw);
  EXPECT_FALSE(r.terminated);
  // The third token's chunk announces its full size, then the connection closes inside it.
  size_t last_size_line = raw.rfind("\r\n", raw.size() - 1);
  EXPECT_EQ(TokenEvents(r), 2);
  EXPECT_FALSE(raw.ends_with("\r\n")) << raw.substr(last_size_line);
  EXPECT_NE(TraceLine().find(R"("outcome":"truncated")"), std::string::npos);
}

TEST_F(FaultTest, InvalidUtf8) {
  std::string raw = Hit("invalid-utf8");
  EXPECT_NE(raw.find(" \xff\xfe"), std::string::npos);
  EXPECT_TRUE(ParseChunked(raw).terminated);
}

TEST_F(FaultTest, Stall) {
  SimOptions o = Instant();
  o.stall_ms = 400;
  std::string raw = Hit("stall", o);
  EXPECT_TRUE(ParseChunked(raw).terminated);
  // The first token event arrives at once; the rest 400 ms later.
  ASSERT_GE(reads_.size(), 2u);
  int64_t gap_ms = (reads_.back().time_ns - reads_.front().time_ns) / 1'000'000;
  EXPECT_GE(gap_ms, 390);
  EXPECT_LT(gap_ms, 2000);
}

TEST_F(FaultTest, SlowHeaders) {
  SimOptions o = Instant();
  o.slow_headers_ms = 300;
  int64_t start = MonotonicNanos();
  std::string raw = Hit("slow-headers", o);
  int64_t first_ms = (reads_.front().time_ns - start) / 1'000'000;
  EXPECT_GE(first_ms, 300);
  EXPECT_TRUE(ParseChunked(raw).terminated);
}

TEST_F(FaultTest, OversizedEvent) {
  SimOptions o = Instant();
  o.oversized_bytes = 2 << 20;
  ChunkedResponse r = ParseChunked(Hit("oversized-event", o));
  EXPECT_TRUE(r.terminated);
  size_t largest = 0;
  for (const auto& c : r.chunks)
    largest = std::max(largest, c.size());
  EXPECT_GT(largest, size_t{2} << 20);
}

TEST_F(FaultTest, MissingDone) {
  ChunkedResponse r = ParseChunked(Hit("missing-done"));
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(TokenEvents(r), 6);
  for (const auto& c : r.chunks)
    EXPECT_EQ(c.find("[DONE]"), std::string::npos);
}

TEST_F(FaultTest, NoTerminator) {
  SimOptions o = Instant();
  o.done_hold_ms = 500;
  std::string raw = Hit("no-terminator", o, 300);
  ChunkedResponse r = ParseChunked(raw);
  EXPECT_FALSE(r.terminated);
  ASSERT_FALSE(r.chunks.empty());
  EXPECT_EQ(r.chunks.back(), "data: [DONE]\n\n");
}

TEST_F(FaultTest, ProbabilityIsPerRequestAndSeeded) {
  SimOptions o = Instant();
  o.family = Family::kVllm;
  o.faults.push_back({FaultKind::kHttp5xx, 0.5});
  StartServer(o);
  int failed = 0;
  for (int i = 0; i < 200; ++i) {
    failed += client_->Post("/v1/completions", std::string(kBody)).status == 500;
  }
  EXPECT_GT(failed, 60);
  EXPECT_LT(failed, 140);
}

}  // namespace
}  // namespace servebench::sim
