#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::ParisTokens;
using testing::StreamReply;
using testing::Unescape;

constexpr int64_t kCreated = 1735689600;  // 2025-01-01 00:00:00 UTC

ReplyContext VllmCompletionsCtx() {
  ReplyContext ctx;
  ctx.family = Family::kVllm;
  ctx.route = Route::kCompletions;
  ctx.model = "meta-llama/Llama-3.1-8B-Instruct";
  ctx.id = "cmpl-4f1d9c2a7b8e4e0f";
  ctx.created = kCreated;
  ctx.wall_time_us = kCreated * 1'000'000;
  ctx.prompt_tokens = 6;
  ctx.max_tokens = 3;
  ctx.include_usage = true;
  return ctx;
}

// The whole HTTP response of §6.1, chunk sizes included.
TEST(VllmDialect, CompletionsStreamMatchesTranscriptByteForByte) {
  ReplyContext ctx = VllmCompletionsCtx();
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  std::string http;
  d.AppendHead(ctx, /*chunked=*/true, 0, http);
  for (const std::string& e : StreamReply(d, ctx, ParisTokens())) {
    AppendChunk(e, d.UpperHexChunks(), http);
  }
  http += kLastChunk;
  std::string expected = Unescape(
      "HTTP/1.1 200 OK\\r\\n"
      "date: Wed, 01 Jan 2025 00:00:00 GMT\\r\\n"
      "server: uvicorn\\r\\n"
      "content-type: text/event-stream; charset=utf-8\\r\\n"
      "transfer-encoding: chunked\\r\\n"
      "\\r\\n"
      R"(e1\r\ndata: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n\r\n)"
      R"(dc\r\ndata: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n\r\n)"
      R"(e2\r\ndata: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":" It","logprobs":null,"finish_reason":"length","stop_reason":null}]}\n\n\r\n)"
      R"(d1\r\ndata: {"id":"cmpl-4f1d9c2a7b8e4e0f","object":"text_completion","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}}\n\n\r\n)"
      R"(e\r\ndata: [DONE]\n\n\r\n)"
      R"(0\r\n\r\n)");
  EXPECT_EQ(http, expected);
}

TEST(VllmDialect, ChatStreamMatchesTranscript) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.route = Route::kChat;
  ctx.id = "chatcmpl-8bbcdb2d35bb72b2";
  ctx.prompt_tokens = 15;
  std::vector<testing::Token> tokens = {{"Paris", 1}, {" is", 2}, {" the", 3}};
  auto events = StreamReply(DialectFor(Family::kVllm, Route::kChat), ctx, tokens);
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"prompt_token_ids":null}\n\n)",
          R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":"Paris"},"logprobs":null,"finish_reason":null,"token_ids":null}]}\n\n)",
          R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" is"},"logprobs":null,"finish_reason":null,"token_ids":null}]}\n\n)",
          R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"delta":{"content":" the"},"logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null}]}\n\n)",
          R"(data: {"id":"chatcmpl-8bbcdb2d35bb72b2","object":"chat.completion.chunk","created":1735689600,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":15,"total_tokens":18,"completion_tokens":3}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(VllmDialect, ContinuousUsageOnEveryChunkRoleChunkCountsZero) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.route = Route::kChat;
  ctx.id = "chatcmpl-1";
  ctx.model = "m";
  ctx.continuous_usage = true;
  auto events = StreamReply(DialectFor(Family::kVllm, Route::kChat), ctx, ParisTokens());
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(
      events[0],
      R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":6,"total_tokens":6,"completion_tokens":0},"prompt_token_ids":null})"
      "\n\n");
  EXPECT_EQ(
      events[2],
      R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"content":"."},"logprobs":null,"finish_reason":null,"token_ids":null}],"usage":{"prompt_tokens":6,"total_tokens":8,"completion_tokens":2}})"
      "\n\n");
}

TEST(VllmDialect, WithoutIncludeUsageNoUsageEvent) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.include_usage = false;
  ctx.continuous_usage = true;  // vLLM ignores it without include_usage
  auto events = StreamReply(DialectFor(Family::kVllm, Route::kCompletions), ctx, ParisTokens());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3], "data: [DONE]\n\n");
  for (const std::string& e : events)
    EXPECT_EQ(e.find("usage"), std::string::npos) << e;
}

TEST(VllmDialect, SeveralTokensAndEmptyTextPerEvent) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.id = "cmpl-1";
  ctx.model = "m";
  ctx.include_usage = ctx.continuous_usage = true;
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  testing::RecordingSink sink;
  int ids[] = {1, 2, 3};
  Progress p;
  p.new_text = " Paris. It";
  p.new_ids = ids;
  p.full_text = p.new_text;
  p.completion_tokens = 3;
  d.StreamTokens(ctx, p, sink);
  p.new_text = "";
  p.new_ids = {};
  d.StreamTokens(ctx, p, sink);
  EXPECT_EQ(
      sink.events[0],
      R"(data: {"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris. It","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})"
      "\n\n");
  EXPECT_EQ(
      sink.events[1],
      R"(data: {"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":"","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}})"
      "\n\n");
}

TEST(VllmDialect, CrlfSeparatorsAndStarletteHeaders) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.crlf = true;
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  for (const std::string& e : StreamReply(d, ctx, ParisTokens())) {
    EXPECT_TRUE(e.ends_with("}\r\n\r\n") || e == "data: [DONE]\r\n\r\n") << e;
  }
  std::string head;
  d.AppendHead(ctx, true, 0, head);
  EXPECT_EQ(
      head,
      "HTTP/1.1 200 OK\r\ndate: Wed, 01 Jan 2025 00:00:00 GMT\r\nserver: uvicorn\r\n"
      "content-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
      "connection: keep-alive\r\nx-accel-buffering: no\r\ntransfer-encoding: chunked\r\n\r\n");
  testing::RecordingSink sink;
  ctx.wall_time_us = kCreated * 1'000'000 + 42;
  d.Ping(ctx, sink);
  EXPECT_EQ(sink.Joined(), ": ping - 2025-01-01 00:00:00.000042\r\n\r\n");
}

TEST(VllmDialect, ErrorsInTheirRealShapes) {
  ReplyContext ctx = VllmCompletionsCtx();
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  ErrorReply e = d.Error(ctx, ErrorKind::kContextLength, "too long");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.body,
            R"({"error":{"message":"too long","type":"BadRequestError","param":null,"code":400}})");
  e = d.Error(ctx, ErrorKind::kModelNotFound, "The model `x` does not exist.");
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(
      e.body,
      R"({"error":{"message":"The model `x` does not exist.","type":"NotFoundError","param":"model","code":404}})");
  e = d.Error(ctx, ErrorKind::kUnauthorized, "");
  EXPECT_EQ(e.status, 401);
  EXPECT_EQ(e.body, R"({"error":"Unauthorized"})");
  EXPECT_EQ(d.Error(ctx, ErrorKind::kStreamOptions, "x").status, 400);
  EXPECT_EQ(d.Error(ctx, ErrorKind::kServerError, "x").status, 500);
  EXPECT_EQ(d.Error(ctx, ErrorKind::kRateLimited, "x").status, 429);

  std::string head;
  d.AppendErrorHead(ctx, e, head);
  EXPECT_EQ(head,
            "HTTP/1.1 401 Unauthorized\r\ndate: Wed, 01 Jan 2025 00:00:00 GMT\r\n"
            "server: uvicorn\r\ncontent-length: 24\r\ncontent-type: application/json\r\n\r\n");

  testing::RecordingSink sink;
  d.StreamError(ctx, "bad \xc3\xa9", sink);
  EXPECT_EQ(
      sink.events,
      Lines({
          R"(data: {"error": {"message": "bad \u00e9", "type": "BadRequestError", "param": null, "code": 400}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
  EXPECT_FALSE(d.ErrorInStream(ctx, ErrorKind::kContextLength));
}

TEST(VllmDialect, NonStreamBodyWithContentLength) {
  ReplyContext ctx = VllmCompletionsCtx();
  ctx.stream = false;
  ctx.id = "cmpl-1";
  ctx.model = "m";
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  std::string body = testing::FullReply(d, ctx, ParisTokens());
  EXPECT_EQ(
      body,
      R"({"id":"cmpl-1","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris. It","logprobs":null,"finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3},"kv_transfer_params":null})");
  std::string head;
  d.AppendHead(ctx, false, body.size(), head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\ndate: Wed, 01 Jan 2025 00:00:00 GMT\r\nserver: uvicorn\r\n"
            "content-length: " +
                std::to_string(body.size()) + "\r\ncontent-type: application/json\r\n\r\n");
}

}  // namespace
}  // namespace servebench::sim
