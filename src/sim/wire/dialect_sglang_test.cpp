#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::ParisTokens;
using testing::StreamReply;

ReplyContext SglangCtx(Route route) {
  ReplyContext ctx;
  ctx.family = Family::kSglang;
  ctx.route = route;
  ctx.model = "m";
  ctx.id = "0c3a9e8f6d2b4f1e";
  ctx.created = 1735689600;
  ctx.prompt_tokens = 6;
  ctx.max_tokens = 3;
  return ctx;
}

TEST(SglangDialect, NativeGenerateMatchesTranscript) {
  ReplyContext ctx = SglangCtx(Route::kSglangGenerate);
  const Dialect& d = DialectFor(Family::kVllm, Route::kSglangGenerate);  // owner's format
  auto events = StreamReply(d, ctx, ParisTokens(), Finish::kLength, /*elapsed_s=*/0.0712);
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"text":" Paris","output_ids":[12366],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":1,"cached_tokens":0}}\n\n)",
          R"(data: {"text":" Paris.","output_ids":[13],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":null,"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":2,"cached_tokens":0}}\n\n)",
          R"(data: {"text":" Paris. It","output_ids":[1102],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":{"type":"length","length":3},"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":3,"cached_tokens":0,"e2e_latency":0.0712}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(SglangDialect, NativeStopFinishAndSeveralIdsPerEvent) {
  ReplyContext ctx = SglangCtx(Route::kSglangGenerate);
  ctx.eos_token_id = 128009;
  const Dialect& d = DialectFor(Family::kSglang, Route::kSglangGenerate);
  testing::RecordingSink sink;
  int ids[] = {12366, 13};
  Progress p;
  p.new_text = " Paris.";
  p.full_text = " Paris.";
  p.new_ids = ids;
  p.completion_tokens = 2;
  p.finish = Finish::kStop;
  p.elapsed_s = 1.5;
  d.StreamTokens(ctx, p, sink);
  EXPECT_EQ(
      sink.Joined(),
      R"(data: {"text":" Paris.","output_ids":[12366,13],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":{"type":"stop","matched":128009},"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":2,"cached_tokens":0,"e2e_latency":1.5}})"
      "\n\n");
}

TEST(SglangDialect, NativeNonStreamBodyHasAllIds) {
  ReplyContext ctx = SglangCtx(Route::kSglangGenerate);
  ctx.stream = false;
  const Dialect& d = DialectFor(Family::kSglang, Route::kSglangGenerate);
  EXPECT_EQ(
      testing::FullReply(d, ctx, ParisTokens(), Finish::kLength, 0.25),
      R"({"text":" Paris. It","output_ids":[12366,13,1102],"meta_info":{"id":"0c3a9e8f6d2b4f1e","finish_reason":{"type":"length","length":3},"prompt_tokens":6,"weight_version":"default","total_retractions":0,"completion_tokens":3,"cached_tokens":0,"e2e_latency":0.25}})");
}

TEST(SglangDialect, NativeOverLongPromptInBandWhenStreamed) {
  ReplyContext ctx = SglangCtx(Route::kSglangGenerate);
  const Dialect& d = DialectFor(Family::kSglang, Route::kSglangGenerate);
  EXPECT_TRUE(d.ErrorInStream(ctx, ErrorKind::kContextLength));
  EXPECT_FALSE(d.ErrorInStream(ctx, ErrorKind::kBadRequest));
  testing::RecordingSink sink;
  d.StreamErrorOfKind(ctx, ErrorKind::kContextLength,
                      "The input (40000 tokens) is longer than the model's context length "
                      "(32768 tokens).",
                      sink);
  EXPECT_EQ(
      sink.events,
      Lines({
          R"(data: {"error":{"message":"The input (40000 tokens) is longer than the model's context length (32768 tokens)."}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
  ctx.stream = false;
  EXPECT_FALSE(d.ErrorInStream(ctx, ErrorKind::kContextLength));
  ErrorReply e = d.Error(ctx, ErrorKind::kContextLength, "long");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.body, R"({"error":{"message":"long"}})");
}

TEST(SglangDialect, CompletionsSerializeEveryFieldWithNulls) {
  ReplyContext ctx = SglangCtx(Route::kCompletions);
  ctx.include_usage = true;
  auto events = StreamReply(DialectFor(Family::kSglang, Route::kCompletions), ctx, ParisTokens());
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" Paris","logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}\n\n)",
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":".","logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}\n\n)",
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"text_completion","created":1735689600,"model":"m","choices":[{"index":0,"text":" It","logprobs":null,"finish_reason":"length","matched_stop":null}],"usage":null}\n\n)",
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"text_completion","created":1735689600,"model":"m","choices":[],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3,"reasoning_tokens":0}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(SglangDialect, ChatRoleChunkThenSeparateFinishChunk) {
  ReplyContext ctx = SglangCtx(Route::kChat);
  ctx.continuous_usage = true;
  auto events =
      StreamReply(DialectFor(Family::kSglang, Route::kChat), ctx, {{"Paris", 1}}, Finish::kStop);
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":{"prompt_tokens":6,"total_tokens":6,"completion_tokens":0,"prompt_tokens_details":null,"reasoning_tokens":0}}\n\n)",
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":null,"content":"Paris","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":{"prompt_tokens":6,"total_tokens":7,"completion_tokens":1,"prompt_tokens_details":null,"reasoning_tokens":0}}\n\n)",
          R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[{"index":0,"delta":{"role":null,"content":null,"reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":"stop","matched_stop":2}],"usage":null}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

// return_cached_tokens_details with cached tokens: `sglext` in a chunk of its own (no choice, null
// usage) before the usage chunk; at the top level of a whole body.
TEST(SglangDialect, CachedTokensDetailsInTheirOwnChunk) {
  ReplyContext ctx = SglangCtx(Route::kChat);
  ctx.include_usage = true;
  ctx.cached_tokens = 4;
  ctx.cached_tokens_details = true;
  auto events =
      StreamReply(DialectFor(Family::kSglang, Route::kChat), ctx, {{"Paris", 1}}, Finish::kStop);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(
      events[events.size() - 3],
      R"(data: {"id":"0c3a9e8f6d2b4f1e","object":"chat.completion.chunk","created":1735689600,"model":"m","choices":[],"usage":null,"sglext":{"cached_tokens_details":{"device":4,"host":0}}})"
      "\n\n");
  EXPECT_NE(events[events.size() - 2].find(R"("usage":{"prompt_tokens":6)"), std::string::npos);
  Progress whole;
  whole.full_text = "Paris";
  whole.completion_tokens = 1;
  whole.finish = Finish::kStop;
  std::string body = DialectFor(Family::kSglang, Route::kCompletions).FullBody(ctx, whole);
  EXPECT_TRUE(body.ends_with(
      R"("metadata":null,"sglext":{"cached_tokens_details":{"device":4,"host":0}}})"))
      << body;
  // Nothing cached: no sglext, as SGLang has no details then.
  ctx.cached_tokens = 0;
  EXPECT_EQ(DialectFor(Family::kSglang, Route::kCompletions).FullBody(ctx, whole).find("sglext"),
            std::string::npos);
}

TEST(SglangDialect, FlatErrorsAndSpacedStreamError) {
  ReplyContext ctx = SglangCtx(Route::kChat);
  const Dialect& d = DialectFor(Family::kSglang, Route::kChat);
  ErrorReply e = d.Error(ctx, ErrorKind::kContentType, "Unsupported Content-Type");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(
      e.body,
      R"({"object":"error","message":"Unsupported Content-Type","type":"BadRequestError","param":null,"code":400})");
  EXPECT_EQ(d.Error(ctx, ErrorKind::kModelNotFound, "x").status, 404);
  EXPECT_EQ(d.Error(ctx, ErrorKind::kUnauthorized, "x").body, R"({"error":"Unauthorized"})");
  testing::RecordingSink sink;
  d.StreamError(ctx, "boom", sink);
  EXPECT_EQ(
      sink.events,
      Lines({
          R"(data: {"error": {"object": "error", "message": "boom", "type": "BadRequestError", "param": null, "code": 400}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

}  // namespace
}  // namespace servebench::sim
