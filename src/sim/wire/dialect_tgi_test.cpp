#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::ParisTokens;
using testing::StreamReply;
using testing::Unescape;

ReplyContext TgiCtx(Route route) {
  ReplyContext ctx;
  ctx.family = Family::kTgi;
  ctx.route = route;
  ctx.model = "m";
  ctx.id = "";
  ctx.created = 1735689600;
  ctx.prompt_tokens = 6;
  return ctx;
}

// The whole HTTP response of §6.5: upper-case chunk sizes, `data:` without a space.
TEST(TgiDialect, GenerateStreamMatchesTranscriptByteForByte) {
  ReplyContext ctx = TgiCtx(Route::kTgiGenerateStream);
  const Dialect& d = DialectFor(Family::kSglang, Route::kTgiGenerateStream);
  ASSERT_TRUE(d.UpperHexChunks());
  std::string http;
  d.AppendHead(ctx, true, 0, http);
  for (const std::string& e : StreamReply(d, ctx, ParisTokens()))
    AppendChunk(e, true, http);
  http += kLastChunk;
  EXPECT_EQ(
      http,
      Unescape(
          "HTTP/1.1 200 OK\\r\\n"
          "content-type: text/event-stream\\r\\n"
          "cache-control: no-cache\\r\\n"
          "x-accel-buffering: no\\r\\n"
          "transfer-encoding: chunked\\r\\n"
          "\\r\\n"
          R"(7E\r\ndata:{"index":1,"token":{"id":12366,"text":" Paris","logprob":-0.0917,"special":false},"generated_text":null,"details":null}\n\n\r\n)"
          R"(76\r\ndata:{"index":2,"token":{"id":13,"text":".","logprob":-0.6128,"special":false},"generated_text":null,"details":null}\n\n\r\n)"
          R"(CA\r\ndata:{"index":3,"token":{"id":1102,"text":" It","logprob":-1.1953,"special":false},"generated_text":" Paris. It","details":{"finish_reason":"length","generated_tokens":3,"seed":null,"input_length":6}}\n\n\r\n)"
          R"(0\r\n\r\n)"));
}

TEST(TgiDialect, StopIsEosTokenAndSpecialFlag) {
  ReplyContext ctx = TgiCtx(Route::kTgiGenerateStream);
  const Dialect& d = DialectFor(Family::kTgi, Route::kTgiGenerateStream);
  testing::RecordingSink sink;
  int id = 2;
  Progress p;
  p.new_text = "</s>";
  p.new_ids = std::span<const int>(&id, 1);
  p.full_text = " Paris";
  p.completion_tokens = 2;
  p.special = true;
  p.finish = Finish::kStop;
  d.StreamTokens(ctx, p, sink);
  EXPECT_EQ(
      sink.Joined(),
      R"(data:{"index":2,"token":{"id":2,"text":"</s>","logprob":0.0,"special":true},"generated_text":" Paris","details":{"finish_reason":"eos_token","generated_tokens":2,"seed":null,"input_length":6}})"
      "\n\n");
}

TEST(TgiDialect, ErrorsKeepAliveAndNonStream) {
  ReplyContext ctx = TgiCtx(Route::kTgiGenerateStream);
  const Dialect& d = DialectFor(Family::kTgi, Route::kTgiGenerateStream);
  EXPECT_TRUE(d.ErrorInStream(ctx, ErrorKind::kContextLength));
  EXPECT_FALSE(d.ErrorInStream(ctx, ErrorKind::kRateLimited));
  testing::RecordingSink sink;
  d.StreamErrorOfKind(ctx, ErrorKind::kContextLength, "Input validation error: too long", sink);
  d.StreamError(ctx, "CUDA out of memory", sink);
  d.Ping(ctx, sink);
  EXPECT_EQ(
      sink.events,
      Lines({
          R"(data:{"error":"Input validation error: too long","error_type":"validation"}\n\n)",
          R"(data:{"error":"CUDA out of memory","error_type":"generation"}\n\n)",
          R"(:\n\n)",
      }));

  ErrorReply e = d.Error(ctx, ErrorKind::kRateLimited, "Model is overloaded");
  EXPECT_EQ(e.status, 429);
  EXPECT_EQ(e.body, R"({"error":"Model is overloaded","error_type":"overloaded"})");
  EXPECT_EQ(d.Error(ctx, ErrorKind::kBadRequest, "x").status, 422);
  EXPECT_EQ(d.Error(ctx, ErrorKind::kServerError, "x").status, 500);

  ReplyContext plain = TgiCtx(Route::kTgiGenerate);
  plain.stream = false;
  const Dialect& g = DialectFor(Family::kTgi, Route::kTgiGenerate);
  std::string body = testing::FullReply(g, plain, ParisTokens());
  EXPECT_EQ(
      body,
      R"({"generated_text":" Paris. It","details":{"finish_reason":"length","generated_tokens":3,"seed":null,"prefill":[],"tokens":[]}})");
  std::string head;
  g.AppendHead(plain, false, body.size(), head);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " +
                      std::to_string(body.size()) + "\r\n\r\n");
}

TEST(TgiDialect, ChatChunksRoleInEveryDeltaAndTightDone) {
  ReplyContext ctx = TgiCtx(Route::kChat);
  ctx.prompt_tokens = 15;
  ctx.include_usage = true;
  auto events = StreamReply(DialectFor(Family::kTgi, Route::kChat), ctx, {{"Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data:{"object":"chat.completion.chunk","id":"","created":1735689600,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"delta":{"role":"assistant","content":"Paris"},"logprobs":null,"finish_reason":"length"}],"usage":null}\n\n)",
          R"(data:{"object":"chat.completion.chunk","id":"","created":1735689600,"model":"m","system_fingerprint":"3.3.6-native","choices":[],"usage":{"prompt_tokens":15,"completion_tokens":1,"total_tokens":16}}\n\n)",
          R"(data:[DONE]\n\n)",
      }));
}

TEST(TgiDialect, CompletionsEmptyFinishWhileRunningInlineUsageAtEnd) {
  ReplyContext ctx = TgiCtx(Route::kCompletions);
  auto events = StreamReply(DialectFor(Family::kTgi, Route::kCompletions), ctx,
                            {{" Paris", 1}, {".", 2}}, Finish::kStop);
  EXPECT_EQ(
      events,
      Lines({
          R"(data:{"object":"text_completion","id":"","created":1735689600,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":""}]}\n\n)",
          R"(data:{"object":"text_completion","id":"","created":1735689600,"model":"m","system_fingerprint":"3.3.6-native","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":"eos_token"}],"usage":{"prompt_tokens":6,"completion_tokens":2,"total_tokens":8}}\n\n)",
          R"(data:[DONE]\n\n)",
      }));
  testing::RecordingSink sink;
  DialectFor(Family::kTgi, Route::kCompletions)
      .StreamErrorOfKind(ctx, ErrorKind::kBadRequest, "Input validation error", sink);
  EXPECT_EQ(
      sink.Joined(),
      "data:{\"error\":{\"message\":\"Input validation error\",\"http_status_code\":422}}\n\n");
}

}  // namespace
}  // namespace servebench::sim
