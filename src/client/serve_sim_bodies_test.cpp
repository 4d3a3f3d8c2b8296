// Our request bodies sent to a real serve-sim (the binary in SERVEBENCH_BIN) over 127.0.0.1 with
// libcurl, and the replies read by SseParser + StreamReader: every backend style, every family
// of the OpenAI routes, streamed and not, with LF and CRLF framing, several tokens per event
// and empty events. Checks the parts of the client that are pure machines against bytes they
// did not write themselves.
#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "client/sse_parser.h"
#include "common/clock.h"
#include "protocol/request_body.h"
#include "protocol/stream_reader.h"
#include "tests/support/sim_process.h"

namespace servebench::client {
namespace {

using servebench::testing::SimProcess;

using protocol::Style;

// serve-sim as a child process, instant and seeded, with the test's flags.
std::vector<std::string> SimFlags(std::vector<std::string> flags) {
  std::vector<std::string> all = {"--instant", "--seed", "7"};
  all.insert(all.end(), flags.begin(), flags.end());
  return all;
}

class ReaderSink : public SseSink {
 public:
  explicit ReaderSink(protocol::StreamReader& reader) : reader_(reader) {}
  bool OnSseEvent(const SseEvent& event) override {
    reader_.OnEvent(event.data, event.read_ns, event.body_offset);
    return true;
  }

 private:
  protocol::StreamReader& reader_;
};

struct Exchange {
  explicit Exchange(const protocol::ReaderOptions& options, size_t max_event_bytes)
      : sse(max_event_bytes), reader(options, parser), sink(reader), stream(options.stream) {}
  SseParser sse;
  protocol::JsonParser parser;
  protocol::StreamReader reader;
  ReaderSink sink;
  bool stream;
  std::string body;  // non-streaming replies are one event: the whole body
  SseParser::Result framing = SseParser::Result::kOk;
  long status = 0;
  std::string sent;
};

size_t OnBytes(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view bytes(data, size * count);
  if (exchange->stream) {
    if (exchange->framing == SseParser::Result::kOk) {
      exchange->framing = exchange->sse.Feed(bytes, MonotonicNanos(), exchange->sink);
    }
  } else {
    exchange->body += bytes;
  }
  return size * count;
}

struct Case {
  std::string backend;
  std::string family;  // X-Serve-Sim-Family; empty = the server's default
  bool stream;
};

// Sends one request built by BuildRequestBody and reads the reply into `exchange`.
void Send(const std::string& base_url, const Case& c, int64_t output_len, Exchange& exchange) {
  const protocol::BackendInfo& backend = **protocol::FindBackend(c.backend);
  protocol::RequestInput input;
  input.text = "The capital of France is";
  input.output_len = output_len;
  protocol::RequestOptions options;
  options.model = "serve-sim";
  options.stream = c.stream;
  options.synthetic_dataset = true;  // strict backends ask to ignore EOS as for random data
  auto body = protocol::BuildRequestBody(backend, input, options);
  ASSERT_TRUE(body) << body.error().message;
  exchange.sent = *body;

  std::string url = base_url + std::string(protocol::RequestPath(backend, c.stream));
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string family_header = "X-Serve-Sim-Family: " + c.family;
  if (!c.family.empty()) headers = curl_slist_append(headers, family_header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBytes);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &exchange.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  ASSERT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  if (exchange.framing != SseParser::Result::kOk) return;
  if (c.stream) {
    exchange.framing = exchange.sse.Finish(MonotonicNanos(), exchange.sink);
  } else {
    protocol::PaddedEvent padded(exchange.body);
    exchange.reader.OnEvent(padded.view(), MonotonicNanos());
  }
}

protocol::ReaderOptions ReaderOptionsFor(const Case& c, int64_t output_len) {
  protocol::ReaderOptions options;
  options.style = (*protocol::FindBackend(c.backend))->style;
  options.stream = c.stream;
  options.expected_tokens = output_len;
  return options;
}

void RunCase(const std::string& base_url, const Case& c, int tokens_per_event) {
  SCOPED_TRACE(c.backend + " family=" + c.family + (c.stream ? " stream" : " non-stream"));
  const protocol::BackendInfo& backend = **protocol::FindBackend(c.backend);
  Exchange exchange(ReaderOptionsFor(c, 5), kDefaultMaxEventBytes);
  Send(base_url, c, 5, exchange);
  ASSERT_EQ(exchange.status, 200) << "body sent: " << exchange.sent << "\nreply: " << exchange.body;
  ASSERT_EQ(exchange.framing, SseParser::Result::kOk);
  protocol::StreamReader& r = exchange.reader;
  ASSERT_EQ(r.failure(), protocol::ReaderFailure::kNone)
      << r.error_detail() << "\nbody sent: " << exchange.sent;
  // Every generated token is one word with a leading space.
  size_t words = 0;
  for (char ch : r.generated_text())
    words += ch == ' ';
  if (backend.style == Style::kTgi) {
    // TGI cannot ignore EOS: the length varies but the text and the count agree.
    EXPECT_GE(words, 1u);
    EXPECT_LE(words, 5u);
  } else {
    EXPECT_EQ(words, 5u) << r.generated_text();
  }
  if (backend.style != Style::kTrt) {
    ASSERT_TRUE(r.completion_tokens()) << "no usage";
    EXPECT_EQ(*r.completion_tokens(), int64_t(words));
  }
  if (!c.stream) {
    EXPECT_EQ(r.token_events().size(), 1u);
    return;
  }
  // TGI's native stream carries one token per event whatever --tokens-per-event says.
  size_t per_event = backend.style == Style::kTgi ? 1 : tokens_per_event;
  size_t expected_events = (words + per_event - 1) / per_event;
  EXPECT_EQ(r.token_events().size(), expected_events);
  if (r.server_counts()) {
    int64_t sum = 0;
    for (size_t k = 0; k < r.token_events().size(); ++k)
      sum += r.ServerTokens(k);
    EXPECT_EQ(sum, int64_t(words));
  }
  const bool sends_done = backend.style != Style::kTrt && backend.style != Style::kTgi;
  EXPECT_EQ(r.done(), sends_done);
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (bool stream : {true, false}) {
    cases.push_back({"sglang", "", stream});
    cases.push_back({"trt", "", stream});
    cases.push_back({"tgi", "tgi", stream});
    cases.push_back({"truss", "", stream});
    for (std::string family :
         {"sglang", "vllm", "lmdeploy", "lmdeploy-legacy", "trtllm-serve", "tgi", "openai"}) {
      bool strict = family == "openai";
      cases.push_back({strict ? "openai" : "vllm", family, stream});
      cases.push_back({strict ? "openai-chat" : "vllm-chat", family, stream});
    }
  }
  return cases;
}

TEST(ServeSimBodies, EveryStyleAndFamilyLf) {
  SimProcess sim(SimFlags({}));
  ASSERT_TRUE(sim.ok()) << "serve-sim did not start";
  for (const Case& c : AllCases())
    RunCase(sim.base_url(), c, 1);
}

TEST(ServeSimBodies, CrlfSeveralTokensPerEventAndEmptyEvents) {
  SimProcess sim(
      SimFlags({"--sse-style", "crlf", "--tokens-per-event", "2", "--empty-events", "0.5"}));
  ASSERT_TRUE(sim.ok()) << "serve-sim did not start";
  for (const Case& c : AllCases())
    RunCase(sim.base_url(), c, 2);
}

// §10 items 24 and 25 with serve-sim's own bytes: malformed data, invalid UTF-8, an oversized
// event under and over --max-event-bytes, and SGLang's in-band error for a too-long prompt.
TEST(ServeSimBodies, FaultsAndInBandErrors) {
  struct FaultCase {
    std::vector<std::string> flags;
    size_t max_event_bytes;
    protocol::ReaderFailure failure;
    SseParser::Result framing;
  };
  const auto kMalformed = protocol::ReaderFailure::kMalformedEvent;
  const auto kNone = protocol::ReaderFailure::kNone;
  for (const FaultCase& f : std::initializer_list<FaultCase>{
           {{"--fault", "malformed-event"},
            kDefaultMaxEventBytes,
            kMalformed,
            SseParser::Result::kOk},
           {{"--fault", "invalid-utf8"}, kDefaultMaxEventBytes, kMalformed, SseParser::Result::kOk},
           {{"--fault", "oversized-event", "--oversized-bytes", "2097152"},
            kDefaultMaxEventBytes,
            kNone,
            SseParser::Result::kOk},
           {{"--fault", "oversized-event", "--oversized-bytes", "2097152"},
            size_t{1} << 20,
            kNone,
            SseParser::Result::kEventTooLarge},
       }) {
    SimProcess sim(SimFlags(f.flags));
    ASSERT_TRUE(sim.ok()) << "serve-sim did not start";
    for (const Case& c : std::initializer_list<Case>{
             {"vllm", "vllm", true}, {"sglang", "", true}, {"vllm-chat", "lmdeploy", true}}) {
      SCOPED_TRACE(f.flags[1] + " " + c.backend + " max " + std::to_string(f.max_event_bytes));
      Exchange exchange(ReaderOptionsFor(c, 5), f.max_event_bytes);
      Send(sim.base_url(), c, 5, exchange);
      EXPECT_EQ(exchange.status, 200);
      EXPECT_EQ(exchange.framing, f.framing);
      EXPECT_EQ(exchange.reader.failure(), f.failure) << exchange.reader.error_detail();
    }
  }
  // A 5-word prompt over a 4-token context: SGLang answers 200 and reports it in the stream.
  SimProcess small(SimFlags({"--max-model-len", "4"}));
  ASSERT_TRUE(small.ok()) << "serve-sim did not start";
  Case native{"sglang", "", true};
  Exchange exchange(ReaderOptionsFor(native, 64), kDefaultMaxEventBytes);
  Send(small.base_url(), native, 64, exchange);
  EXPECT_EQ(exchange.status, 200);
  EXPECT_EQ(exchange.reader.failure(), protocol::ReaderFailure::kStreamError);
  EXPECT_NE(exchange.reader.error_detail().find("context length"), std::string::npos)
      << exchange.reader.error_detail();
  EXPECT_TRUE(exchange.reader.done());
}

}  // namespace
}  // namespace servebench::client
