// The wire transcripts of spec/protocols.md §6 as decoded bodies, fed through SseParser into the
// protocol readers split at every byte offset: the results must not depend on how the bytes
// were cut, and must be what the transcript means.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/sse_parser.h"
#include "protocol/stream_reader.h"

namespace servebench::client {
namespace {

using protocol::Compat;
using protocol::EventKind;
using protocol::Style;
using ::testing::ElementsAre;

static_assert(kEventPadding >= protocol::kJsonPadding);

class ReaderSink : public SseSink {
 public:
  explicit ReaderSink(protocol::StreamReader& reader) : reader_(reader) {}
  bool OnSseEvent(const SseEvent& event) override {
    kinds.push_back(reader_.OnEvent(event.data, event.read_ns, event.body_offset).kind);
    return true;
  }
  std::vector<EventKind> kinds;

 private:
  protocol::StreamReader& reader_;
};

struct Outcome {
  std::string text;
  std::string reasoning;
  std::vector<int64_t> token_times;
  std::vector<int32_t> token_counts;
  std::vector<EventKind> kinds;
  std::string finish;
  std::optional<int64_t> completion_tokens;
  std::optional<int64_t> done_ns;
  protocol::ReaderFailure failure;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

// Feeds `body` in reads ending at `cuts`; read k has timestamp k + 1.
Outcome Feed(Style style, std::string_view body, const std::vector<size_t>& cuts,
             Compat compat = Compat::kNone) {
  protocol::JsonParser parser;
  protocol::ReaderOptions options;
  options.style = style;
  options.compat = compat;
  protocol::StreamReader reader(options, parser);
  ReaderSink sink(reader);
  SseParser sse;
  size_t from = 0;
  int64_t ts = 1;
  for (size_t cut : cuts) {
    EXPECT_EQ(sse.Feed(body.substr(from, cut - from), ts++, sink), SseParser::Result::kOk);
    from = cut;
  }
  EXPECT_EQ(sse.Feed(body.substr(from), ts, sink), SseParser::Result::kOk);
  EXPECT_EQ(sse.Finish(ts, sink), SseParser::Result::kOk);
  Outcome o;
  o.text = reader.generated_text();
  o.reasoning = reader.reasoning_text();
  for (size_t k = 0; k < reader.token_events().size(); ++k) {
    o.token_times.push_back(reader.token_events()[k].read_ns);
    o.token_counts.push_back(reader.ServerTokens(k));
  }
  o.kinds = sink.kinds;
  o.finish = reader.finish_reason();
  o.completion_tokens = reader.completion_tokens();
  o.done_ns = reader.done_ns();
  o.failure = reader.failure();
  o.error = reader.error_detail();
  return o;
}

// Whole body in one read, then every single cut: same content; each token event timed by
// the read that completed it (1 or 2 with one cut).
Outcome CheckEverySplit(Style style, std::string_view body, Compat compat = Compat::kNone) {
  Outcome whole = Feed(style, body, {}, compat);
  for (size_t i = 0; i <= body.size(); ++i) {
    Outcome split = Feed(style, body, {i}, compat);
    EXPECT_EQ(split.text, whole.text) << "cut " << i;
    EXPECT_EQ(split.token_counts, whole.token_counts) << "cut " << i;
    EXPECT_EQ(split.kinds, whole.kinds) << "cut " << i;
    EXPECT_EQ(split.finish, whole.finish) << "cut " << i;
    EXPECT_EQ(split.completion_tokens, whole.completion_tokens) << "cut " << i;
    EXPECT_EQ(split.token_times.size(), whole.token_times.size()) << "cut " << i;
    for (int64_t t : split.token_times)
      EXPECT_TRUE(t == 1 || t == 2) << "cut " << i;
    if (::testing::Test::HasFailure()) break;
  }
  return whole;
}

TEST(Transcripts, VllmCompletionsWithUtf8SplitEverywhere) {
  std::string body =
      "data: "
      "{\"id\":\"cmpl-4f1d9c2a7b8e4e0f\",\"object\":\"text_completion\",\"created\":1735689600,"
      "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"text\":\" "
      "Paris\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}\n\n"
      "data: "
      "{\"id\":\"cmpl-4f1d9c2a7b8e4e0f\",\"object\":\"text_completion\",\"created\":1735689600,"
      "\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"choices\":[{\"index\":0,\"text\":\" "
      "é😀\",\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}]}\n\n"
      "data: "
      "{\"id\":\"cmpl-4f1d9c2a7b8e4e0f\",\"object\":\"text_completion\",\"created\":1735689600,"
      "\"model\":\"meta-llama/"
      "Llama-3.1-8B-Instruct\",\"choices\":[],\"usage\":{\"prompt_tokens\":6,"
      "\"total_tokens\":8,\"completion_tokens\":2}}\n\n"
      "data: [DONE]\n\n";
  Outcome o = CheckEverySplit(Style::kCompletions, body);
  EXPECT_EQ(o.text, " Paris é😀");
  EXPECT_THAT(o.token_times, ElementsAre(1, 1));  // one read: one timestamp, ITL 0
  EXPECT_EQ(o.completion_tokens, 2);
  EXPECT_EQ(o.finish, "length");
  EXPECT_EQ(o.done_ns, 1);
  // A cut just before the last "\n" of the first event delays only that event.
  size_t first_end = body.find("\n\n") + 1;
  Outcome cut = Feed(Style::kCompletions, body, {first_end});
  EXPECT_THAT(cut.token_times, ElementsAre(2, 2));
  cut = Feed(Style::kCompletions, body, {first_end + 1});
  EXPECT_THAT(cut.token_times, ElementsAre(1, 2));
}

TEST(Transcripts, SglangNativeCrlfWithPings) {
  // sse-starlette style separators and pings around SGLang native events.
  std::string body =
      ": ping - 2025-01-01 00:00:00.000000\r\n\r\n"
      "data: {\"text\":\" Paris\",\"output_ids\":[12366],\"meta_info\":{\"id\":\"0c3a\","
      "\"finish_reason\":null,\"prompt_tokens\":6,\"completion_tokens\":2}}\r\n\r\n"
      ": ping - 2025-01-01 00:00:15.000000\r\n\r\n"
      "data: {\"text\":\" Paris. It\",\"output_ids\":[1102],\"meta_info\":{\"id\":\"0c3a\","
      "\"finish_reason\":{\"type\":\"length\",\"length\":3},\"prompt_tokens\":6,"
      "\"completion_tokens\":3}}\r\n\r\n"
      "data: [DONE]\r\n\r\n";
  Outcome o = CheckEverySplit(Style::kNative, body);
  EXPECT_EQ(o.text, " Paris. It");
  EXPECT_THAT(o.token_counts, ElementsAre(2, 1));
  EXPECT_EQ(o.finish, "length");
}

TEST(Transcripts, TgiNoSpaceNoDoneKeepAliveAndLoneCr) {
  std::string body =
      "data:{\"index\":1,\"token\":{\"id\":12366,\"text\":\" Paris\",\"logprob\":-0.0917,"
      "\"special\":false},\"generated_text\":null,\"details\":null}\r\r"
      ":\n\n"
      "data:{\"index\":2,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.01,"
      "\"special\":true},\"generated_text\":\" Paris\",\"details\":{\"finish_reason\":"
      "\"eos_token\",\"generated_tokens\":2,\"seed\":null,\"input_length\":6}}\n\n";
  Outcome o = CheckEverySplit(Style::kTgi, body);
  EXPECT_EQ(o.text, " Paris");
  EXPECT_THAT(o.token_counts, ElementsAre(1));
  EXPECT_EQ(o.finish, "eos_token");
  EXPECT_FALSE(o.done_ns);
}

TEST(Transcripts, TrtllmServeTrailingSpaceBeforeTerminator) {
  std::string body =
      "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      "\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]} \n\n"
      "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"length\"}]}\n\n"
      "data: [DONE]\n\n";
  Outcome o = CheckEverySplit(Style::kChat, body);
  EXPECT_EQ(o.failure, protocol::ReaderFailure::kNone) << o.error;
  EXPECT_EQ(o.text, "Hi");
  EXPECT_EQ(o.token_times.size(), 1u);
}

TEST(Transcripts, TrussOctetStreamNdjsonLines) {
  // §10 item 28: raw JSON lines without "data:", the last one without a line break.
  std::string body =
      "{\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\" a\",\"finish_reason\":null}]}\n"
      "{\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\" b\",\"finish_reason\":\"length\"}]}"
      "\r\n"
      "{\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"total_tokens\":4,"
      "\"completion_tokens\":2}}";
  Outcome o = CheckEverySplit(Style::kCompletions, body);
  EXPECT_EQ(o.text, " a b");
  EXPECT_EQ(o.completion_tokens, 2);
}

TEST(Transcripts, MultiLineDataAndInterleavedFields) {
  std::string body =
      "event: message\nid: 1\nretry: 10\ndata: {\"choices\":[{\"index\":0,\n"
      "data: \"text\":\"x\"}]}\nfoo: bar\n\n"
      "data: [DONE]\n\ndata: {\"choices\":[{\"index\":0,\"text\":\"late\"}]}\n\n";
  Outcome o = CheckEverySplit(Style::kCompletions, body);
  EXPECT_EQ(o.text, "x");
  EXPECT_THAT(o.kinds, ElementsAre(EventKind::kData, EventKind::kDone, EventKind::kIgnored));
}

TEST(Transcripts, InStreamErrorThenDone) {
  std::string body =
      "data: {\"choices\":[{\"index\":0,\"text\":\"a\"}]}\n\n"
      "data: {\"error\": {\"message\": \"engine died\", \"type\": \"InternalServerError\", "
      "\"param\": null, \"code\": 500}}\n\n"
      "data: [DONE]\n\n";
  Outcome o = CheckEverySplit(Style::kCompletions, body);
  EXPECT_EQ(o.failure, protocol::ReaderFailure::kStreamError);
  EXPECT_EQ(o.error, "engine died (type InternalServerError, code 500)");
  EXPECT_EQ(o.token_times.size(), 1u);
  EXPECT_TRUE(o.done_ns);
}

TEST(Transcripts, MalformedEventReportsItsBodyOffset) {
  std::string body =
      "data: {\"choices\":[{\"index\":0,\"text\":\"a\"}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"text\":\"\xff\"}]}\n\n";
  Outcome o = Feed(Style::kCompletions, body, {});
  EXPECT_EQ(o.failure, protocol::ReaderFailure::kMalformedEvent);
  EXPECT_TRUE(o.error.starts_with("event at body offset 44 ")) << o.error;
}

TEST(Transcripts, OversizedEventBelowAndAboveTheLimit) {
  // §10 item 25: a 2 MiB text value succeeds under the default limit and fails under 1 MiB.
  std::string big(2 << 20, 'w');
  std::string body =
      "data: {\"choices\":[{\"index\":0,\"text\":\"" + big + "\"}]}\n\ndata: [DONE]\n\n";
  Outcome o = Feed(Style::kCompletions, body, {100, 70000, 1500000});
  EXPECT_EQ(o.failure, protocol::ReaderFailure::kNone);
  EXPECT_EQ(o.text.size(), big.size());
  SseParser small(1 << 20);
  protocol::JsonParser parser;
  protocol::StreamReader reader(protocol::ReaderOptions{}, parser);
  ReaderSink sink(reader);
  EXPECT_EQ(small.Feed(body, 1, sink), SseParser::Result::kEventTooLarge);
  EXPECT_EQ(small.error_offset(), 0u);
  EXPECT_TRUE(sink.kinds.empty());
}

}  // namespace
}  // namespace servebench::client
