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

extern char** environ;

namespace servebench::client {
namespace {

using protocol::Style;

// A serve-sim child process on a free port; stopped (SIGTERM) when destroyed.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> flags) {
    const char* bin = std::getenv("SERVEBENCH_BIN");
    if (bin == nullptr || access(bin, X_OK) != 0) return;
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> args = {bin, "serve-sim", "--port", "0", "--instant", "--seed", "7"};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    int rc = posix_spawn(&pid_, bin, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    output_ = out[0];  // kept open until the end: the child may log more
    if (rc != 0) {
      pid_ = 0;
      return;
    }
    // "serve-sim listening on http://127.0.0.1:PORT (...)": read up to the first newline,
    // waiting at most 10 s.
    std::string line;
    char c;
    pollfd fd{output_, POLLIN, 0};
    while (line.size() < 512 && poll(&fd, 1, 10000) == 1 && read(output_, &c, 1) == 1 &&
           c != '\n') {
      line += c;
    }
    size_t at = line.find("http://");
    size_t space = line.find(' ', at == std::string::npos ? 0 : at);
    if (at != std::string::npos) base_url_ = line.substr(at, space - at);
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      waitpid(pid_, &status, 0);
    }
    if (output_ >= 0) close(output_);
  }
  const std::string& base_url() const { return base_url_; }

 private:
  pid_t pid_ = 0;
  int output_ = -1;
  std::string base_url_;
};

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
  SimProcess sim({});
  if (sim.base_url().empty()) GTEST_SKIP() << "SERVEBENCH_BIN not set (run through ctest)";
  for (const Case& c : AllCases())
    RunCase(sim.base_url(), c, 1);
}

TEST(ServeSimBodies, CrlfSeveralTokensPerEventAndEmptyEvents) {
  SimProcess sim({"--sse-style", "crlf", "--tokens-per-event", "2", "--empty-events", "0.5"});
  if (sim.base_url().empty()) GTEST_SKIP() << "SERVEBENCH_BIN not set (run through ctest)";
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
    SimProcess sim(f.flags);
    if (sim.base_url().empty()) GTEST_SKIP() << "SERVEBENCH_BIN not set (run through ctest)";
    for (const Case& c : std::initializer_list<Case>{
             {"vllm", "vllm", true}, {"sglang", "", true}, {"vllm-chat", "lmdeploy", true}}) {
      // serve-sim (at the time of writing) does not apply oversized-event to /generate.
      if (f.flags[1] == "oversized-event" && c.backend == "sglang") continue;
      SCOPED_TRACE(f.flags[1] + " " + c.backend + " max " + std::to_string(f.max_event_bytes));
      Exchange exchange(ReaderOptionsFor(c, 5), f.max_event_bytes);
      Send(sim.base_url(), c, 5, exchange);
      EXPECT_EQ(exchange.status, 200);
      EXPECT_EQ(exchange.framing, f.framing);
      EXPECT_EQ(exchange.reader.failure(), f.failure) << exchange.reader.error_detail();
    }
  }
  // A 5-word prompt over a 4-token context: SGLang answers 200 and reports it in the stream.
  SimProcess small({"--max-model-len", "4"});
  if (small.base_url().empty()) GTEST_SKIP();
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
