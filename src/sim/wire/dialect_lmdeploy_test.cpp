#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::ParisTokens;
using testing::StreamReply;

ReplyContext LmdeployCtx(Family family, Route route) {
  ReplyContext ctx;
  ctx.family = family;
  ctx.route = route;
  ctx.model = "internlm2_5-7b-chat";
  ctx.id = "1";
  ctx.created = 1735689600;
  ctx.prompt_tokens = 7;
  ctx.include_usage = true;
  return ctx;
}

TEST(LmdeployDialect, LegacyCompletionsMatchTranscript) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeployLegacy, Route::kCompletions);
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, ParisTokens());
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " Paris", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null}\n\n)",
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": ".", "logprobs": null, "gen_tokens": null, "finish_reason": null}], "usage": null}\n\n)",
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " It", "logprobs": null, "gen_tokens": null, "finish_reason": "length"}], "usage": {"prompt_tokens": 7, "total_tokens": 10, "completion_tokens": 3}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(LmdeployDialect, LegacyCompletionsEscapeNonAsciiWithSurrogatePairs) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeployLegacy, Route::kCompletions);
  ctx.include_usage = false;
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx,
                            {{" caf\xc3\xa9", 1}, {" \xf0\x9f\x98\x80\"", 2}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_NE(events[0].find(R"("text": " caf\u00e9")"), std::string::npos) << events[0];
  EXPECT_NE(events[1].find(R"("text": " \ud83d\ude00\"")"), std::string::npos) << events[1];
  EXPECT_NE(events[1].find(R"("finish_reason": "length"}], "usage": null})"), std::string::npos)
      << events[1];
}

TEST(LmdeployDialect, LegacyChatCompactRoleInEveryDelta) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeployLegacy, Route::kChat);
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, {{" Paris", 1}, {"", 2}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"1","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"delta":{"role":"assistant","content":" Paris","reasoning_content":null,"gen_tokens":null,"tool_calls":[]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n)",
          R"(data: {"id":"1","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"gen_tokens":null,"tool_calls":[]},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":7,"total_tokens":9,"completion_tokens":2}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

// >= 0.14: spaced completion events, then a compact usage event: two styles in one stream.
TEST(LmdeployDialect, CurrentCompletionsTwoJsonStylesInOneStream) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeploy, Route::kCompletions);
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, {{" Paris", 1}, {".", 2}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": " Paris"}], "usage": null}\n\n)",
          R"(data: {"id": "1", "object": "text_completion", "created": 1735689600, "model": "internlm2_5-7b-chat", "choices": [{"index": 0, "text": ".", "finish_reason": "length"}], "usage": null}\n\n)",
          R"(data: {"id":"1","object":"text_completion","created":1735689600,"model":"internlm2_5-7b-chat","choices":[],"usage":{"prompt_tokens":7,"total_tokens":9,"completion_tokens":2}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(LmdeployDialect, CurrentChatNullsDroppedSeparateUsage) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeploy, Route::kChat);
  ctx.id = "chatcmpl-abc";
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, {{" Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"delta":{"role":"assistant","content":" Paris"},"finish_reason":"length"}]}\n\n)",
          R"(data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1735689600,"model":"internlm2_5-7b-chat","choices":[],"usage":{"prompt_tokens":7,"total_tokens":8,"completion_tokens":1}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(LmdeployDialect, Errors) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeployLegacy, Route::kChat);
  const Dialect& d = DialectFor(ctx.family, ctx.route);
  ErrorReply e = d.Error(ctx, ErrorKind::kModelNotFound, "The model 'x' does not exist.");
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(
      e.body,
      R"({"message":"The model 'x' does not exist.","type":"invalid_request_error","code":404,"param":null,"object":"error"})");
  EXPECT_EQ(d.Error(ctx, ErrorKind::kMissingModel, "").status, 422);
  EXPECT_EQ(d.Error(ctx, ErrorKind::kBadRequest, "The top_p 2.0 must be in (0, 1].").status, 400);
  EXPECT_FALSE(d.ErrorInStream(ctx, ErrorKind::kContextLength));

  ReplyContext now = LmdeployCtx(Family::kLmdeploy, Route::kCompletions);
  const Dialect& current = DialectFor(now.family, now.route);
  EXPECT_TRUE(current.ErrorInStream(now, ErrorKind::kContextLength));
  testing::RecordingSink sink;
  current.StreamErrorOfKind(now, ErrorKind::kContextLength, "too long", sink);
  EXPECT_EQ(
      sink.events,
      Lines({
          R"(data: {"error": {"message": "too long", "type": "invalid_request_error", "code": 400, "param": null, "object": "error"}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(LmdeployDialect, NonStreamBodiesAreCompactRawUtf8) {
  ReplyContext ctx = LmdeployCtx(Family::kLmdeployLegacy, Route::kCompletions);
  ctx.stream = false;
  EXPECT_EQ(
      testing::FullReply(DialectFor(ctx.family, ctx.route), ctx, {{" caf\xc3\xa9", 1}}),
      R"({"id":"1","object":"text_completion","created":1735689600,"model":"internlm2_5-7b-chat","choices":[{"index":0,"text":" caf)"
      "\xc3\xa9"
      R"(","logprobs":null,"gen_tokens":null,"finish_reason":"length"}],"usage":{"prompt_tokens":7,"total_tokens":8,"completion_tokens":1}})");
}

}  // namespace
}  // namespace servebench::sim
