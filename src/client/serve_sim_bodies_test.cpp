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
  SseParser sse;
  protocol::JsonParser parser;
  protocol::StreamReader reader;
  ReaderSink sink;
  bool stream;
  std::string body;  // non-streaming replies are one event: the whole body
  explicit Exchange(const protocol::ReaderOptions& options)
      : reader(options, parser), sink(reader), stream(options.stream) {}
};

size_t OnBytes(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view bytes(data, size * count);
  if (exchange->stream) {
    exchange->sse.Feed(bytes, MonotonicNanos(), exchange->sink);
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

void RunCase(const std::string& base_url, const Case& c, int tokens_per_event) {
  SCOPED_TRACE(c.backend + " family=" + c.family + (c.stream ? " stream" : " non-stream"));
  const protocol::BackendInfo& backend = **protocol::FindBackend(c.backend);
  protocol::RequestInput input;
  input.text = "The capital of France is";
  input.output_len = 5;
  protocol::RequestOptions options;
  options.model = "serve-sim";
  options.stream = c.stream;
  options.synthetic_dataset = true;  // strict backends ask to ignore EOS as for random data
  auto body = protocol::BuildRequestBody(backend, input, options);
  ASSERT_TRUE(body) << body.error().message;

  protocol::ReaderOptions reader_options;
  reader_options.style = backend.style;
  reader_options.stream = c.stream;
  reader_options.expected_tokens = input.output_len;
  Exchange exchange(reader_options);

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
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  ASSERT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  ASSERT_EQ(status, 200) << "body sent: " << *body << "\nreply: " << exchange.body;

  protocol::StreamReader& r = exchange.reader;
  if (c.stream) {
    EXPECT_EQ(exchange.sse.Finish(MonotonicNanos(), exchange.sink), SseParser::Result::kOk);
  } else {
    protocol::PaddedEvent padded(exchange.body);
    r.OnEvent(padded.view(), MonotonicNanos());
  }
  ASSERT_EQ(r.failure(), protocol::ReaderFailure::kNone)
      << r.error_detail() << "\nbody sent: " << *body;
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
  size_t expected_events = (words + tokens_per_event - 1) / tokens_per_event;
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

}  // namespace
}  // namespace servebench::client
