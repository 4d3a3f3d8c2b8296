// Parsing speed of a streamed response, single thread, no network: vLLM-chat-shaped SSE events
// (spec/protocols.md §6.1) through client::SseParser alone, and through SseParser plus the chat
// protocol::StreamReader (the whole per-event work of the client but the socket read).
//
// The client's end-to-end target is >= 1.5 M events/s on 2 cores (issue 5); parsing should be
// far above it. Prints events/s and MB/s for reads of one event each (vLLM writes one event
// per chunk; a lightly loaded client reads them one by one) and of 16 KiB (a loaded client).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "client/sse_parser.h"
#include "common/clock.h"
#include "protocol/stream_reader.h"

namespace {

using servebench::MonotonicNanos;
using servebench::client::SseEvent;
using servebench::client::SseParser;
using servebench::client::SseSink;

constexpr int kTokensPerResponse = 256;

std::string ChatEvent(int i) {
  std::string word = " w" + std::to_string(i % 1000);
  return "data: {\"id\":\"chatcmpl-8bbcdb2d35bb72b2\",\"object\":\"chat.completion.chunk\","
         "\"created\":1735689600,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{"
         "\"index\":0,\"delta\":{\"content\":\"" +
         word + "\"},\"logprobs\":null,\"finish_reason\":null,\"token_ids\":null}]}\n\n";
}

// One response: role chunk, kTokensPerResponse content events, usage event, [DONE].
std::vector<std::string> ResponseEvents() {
  std::vector<std::string> events;
  events.push_back(
      "data: {\"id\":\"chatcmpl-8bbcdb2d35bb72b2\",\"object\":\"chat.completion.chunk\","
      "\"created\":1735689600,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{"
      "\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
      "\"finish_reason\":null}],\"prompt_token_ids\":null}\n\n");
  for (int i = 0; i < kTokensPerResponse; ++i)
    events.push_back(ChatEvent(i));
  events.push_back(
      "data: {\"id\":\"chatcmpl-8bbcdb2d35bb72b2\",\"object\":\"chat.completion.chunk\","
      "\"created\":1735689600,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[],"
      "\"usage\":{\"prompt_tokens\":15,\"total_tokens\":271,\"completion_tokens\":256}}\n\n");
  events.push_back("data: [DONE]\n\n");
  return events;
}

class CountingSink : public SseSink {
 public:
  bool OnSseEvent(const SseEvent& event) override {
    ++events;
    bytes += event.data.size();
    return true;
  }
  size_t events = 0;
  size_t bytes = 0;
};

class ReaderSink : public SseSink {
 public:
  explicit ReaderSink(servebench::protocol::StreamReader& reader) : reader_(reader) {}
  bool OnSseEvent(const SseEvent& event) override {
    ++events;
    token_events += reader_.OnEvent(event.data, event.read_ns, event.body_offset).token_event;
    return true;
  }
  size_t events = 0;
  size_t token_events = 0;

 private:
  servebench::protocol::StreamReader& reader_;
};

// The machine is shared: rates are given per second of this thread's CPU time (what parsing
// costs) and per second of wall-clock time (what it achieved while sharing the cores).
int64_t ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Figure {
  double events_per_cpu_s;
  double mb_per_cpu_s;
  double events_per_wall_s;
};

// Best of `rounds` runs over `responses` responses, each split into the given reads.
template <typename MakeSink>
Figure Measure(const std::vector<std::string>& reads, size_t body_bytes, int responses, int rounds,
               MakeSink make_sink, bool with_reader) {
  double best_cpu_ns = 1e300;
  double best_wall_ns = 1e300;
  size_t events = 0;
  servebench::protocol::JsonParser parser;
  servebench::protocol::ReaderOptions options;
  options.style = servebench::protocol::Style::kChat;
  options.expected_tokens = kTokensPerResponse;
  servebench::protocol::StreamReader reader(options, parser);
  SseParser sse;
  for (int round = 0; round < rounds; ++round) {
    events = 0;
    int64_t start = MonotonicNanos();
    int64_t cpu_start = ThreadCpuNanos();
    for (int r = 0; r < responses; ++r) {
      sse.Reset();
      reader.Reset(kTokensPerResponse);
      auto sink = make_sink(reader);
      for (const std::string& read : reads)
        sse.Feed(read, r, sink);
      sse.Finish(r, sink);
      events += sink.events;
      if (with_reader && reader.token_events().size() != kTokensPerResponse) {
        std::fprintf(stderr, "unexpected token events: %zu\n", reader.token_events().size());
        std::exit(1);
      }
    }
    best_cpu_ns = std::min(best_cpu_ns, double(ThreadCpuNanos() - cpu_start));
    best_wall_ns = std::min(best_wall_ns, double(MonotonicNanos() - start));
  }
  return {events / best_cpu_ns * 1e9, double(body_bytes) * responses / best_cpu_ns * 1e3,
          events / best_wall_ns * 1e9};
}

}  // namespace

int main() {
  std::vector<std::string> events = ResponseEvents();
  std::string body;
  for (const std::string& e : events)
    body += e;
  std::vector<std::string> big_reads;
  for (size_t i = 0; i < body.size(); i += 16384)
    big_reads.push_back(body.substr(i, 16384));

  const int responses = 2000;  // 2000 x 259 events = 518,000 events per round
  const int rounds = 5;
  auto counting = [](servebench::protocol::StreamReader&) { return CountingSink(); };
  auto parsing = [](servebench::protocol::StreamReader& reader) { return ReaderSink(reader); };

  std::printf(
      "bench_sse_parse: %d responses x %zu events (%zu body bytes, %.0f bytes/event), "
      "best of %d, single thread\n",
      responses, events.size(), body.size(), double(body.size()) / events.size(), rounds);
  struct Row {
    const char* what;
    const std::vector<std::string>* reads;
    bool reader;
  };
  for (const Row& row : {Row{"SSE framing, one event per read", &events, false},
                         Row{"SSE framing, 16 KiB reads", &big_reads, false},
                         Row{"SSE + chat reader, one event per read", &events, true},
                         Row{"SSE + chat reader, 16 KiB reads", &big_reads, true}}) {
    Figure f = row.reader ? Measure(*row.reads, body.size(), responses, rounds, parsing, true)
                          : Measure(*row.reads, body.size(), responses, rounds, counting, false);
    std::printf("  %-40s %7.2f M events/s  %7.1f MB/s per CPU second; %7.2f M events/s wall\n",
                row.what, f.events_per_cpu_s / 1e6, f.mb_per_cpu_s, f.events_per_wall_s / 1e6);
  }
  return 0;
}
