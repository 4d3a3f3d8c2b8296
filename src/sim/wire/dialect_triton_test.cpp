// Triton, trtllm-serve and Truss: the TensorRT-LLM and proxy routes.
#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::ParisTokens;
using testing::StreamReply;

TEST(TritonDialect, GenerateStreamMatchesTranscriptNoDone) {
  ReplyContext ctx;
  ctx.route = Route::kTritonGenerateStream;
  auto events = StreamReply(DialectFor(Family::kVllm, ctx.route), ctx, ParisTokens());
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" Paris"}\n\n)",
          R"(data: {"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":"."}\n\n)",
          R"(data: {"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" It"}\n\n)",
      }));
}

TEST(TritonDialect, AccumulateNonStreamAndErrors) {
  ReplyContext ctx;
  ctx.route = Route::kTritonGenerateStream;
  ctx.trt_accumulate = true;
  const Dialect& d = DialectFor(Family::kSglang, ctx.route);
  auto events = StreamReply(d, ctx, ParisTokens());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[2].ends_with(R"("text_output":" Paris. It"})"
                                  "\n\n"));
  EXPECT_TRUE(events[1].ends_with(R"("text_output":" Paris."})"
                                  "\n\n"));
  EXPECT_EQ(
      testing::FullReply(DialectFor(Family::kSglang, Route::kTritonGenerate), ctx, ParisTokens()),
      R"({"batch_index":0,"context_logits":0.0,"cum_log_probs":0.0,"generation_logits":0.0,"model_name":"ensemble","model_version":"1","output_log_probs":[0.0],"sequence_end":false,"sequence_id":0,"sequence_index":0,"sequence_start":false,"text_output":" Paris. It"})");
  ErrorReply e = d.Error(ctx, ErrorKind::kBadRequest,
                         "Streaming is only supported if model is deployed using decoupled mode.");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(
      e.body,
      R"({"error":"Streaming is only supported if model is deployed using decoupled mode."})");
  testing::RecordingSink sink;
  d.StreamError(ctx, "failed", sink);
  EXPECT_EQ(sink.Joined(), "data: {\"error\":\"failed\"}\n\n");
  std::string head;
  d.AppendHead(ctx, true, 0, head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
}

TEST(TrtllmServeDialect, FirstChatEventEndsWithSpaceRoleWithoutContent) {
  ReplyContext ctx;
  ctx.family = Family::kTrtllmServe;
  ctx.route = Route::kChat;
  ctx.model = "m";
  ctx.id = "chatcmpl-1";
  ctx.created = 1;
  ctx.prompt_tokens = 6;
  ctx.include_usage = true;
  auto events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, {{" Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant"}}]} \n\n)",
          R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" Paris"},"finish_reason":"length"}]}\n\n)",
          R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":6,"total_tokens":7,"completion_tokens":1}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
  ctx.crlf = true;
  events = StreamReply(DialectFor(ctx.family, ctx.route), ctx, {{" Paris", 1}});
  EXPECT_TRUE(events[0].ends_with("} \r\n\r\n")) << events[0];
}

TEST(TrtllmServeDialect, CompletionsEveryFieldAndDroppedConnectionOnError) {
  ReplyContext ctx;
  ctx.family = Family::kTrtllmServe;
  ctx.route = Route::kCompletions;
  ctx.model = "m";
  ctx.id = "cmpl-1";
  ctx.created = 1;
  const Dialect& d = DialectFor(ctx.family, ctx.route);
  auto events = StreamReply(d, ctx, {{" Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":" Paris","token_ids":null,"logprobs":null,"finish_reason":"length","stop_reason":null,"avg_decoded_tokens_per_iter":null}],"usage":null}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
  EXPECT_TRUE(d.DropsConnectionOnStreamError());
  testing::RecordingSink sink;
  d.StreamError(ctx, "boom", sink);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(d.Error(ctx, ErrorKind::kBadRequest, "bad").body, R"({"error":"bad"})");
}

TEST(TrussDialect, VllmCompletionBytesUnderOctetStream) {
  ReplyContext ctx;
  ctx.route = Route::kTruss;
  ctx.model = "m";
  ctx.id = "cmpl-1";
  ctx.created = 1;
  ctx.include_usage = true;
  ctx.wall_time_us = 1735689600LL * 1'000'000;
  const Dialect& truss = DialectFor(Family::kTgi, Route::kTruss);
  EXPECT_EQ(StreamReply(truss, ctx, ParisTokens()),
            StreamReply(DialectFor(Family::kVllm, Route::kCompletions), ctx, ParisTokens()));
  std::string head;
  truss.AppendHead(ctx, true, 0, head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\ndate: Wed, 01 Jan 2025 00:00:00 GMT\r\nserver: uvicorn\r\n"
            "content-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n");
  ErrorReply e = truss.Error(ctx, ErrorKind::kServerError, "model failed");
  EXPECT_EQ(e.status, 500);
  EXPECT_EQ(e.body, R"({"error":"model failed"})");
  head.clear();
  truss.AppendErrorHead(ctx, e, head);
  EXPECT_NE(head.find("X-BASETEN-ERROR-SOURCE: 04\r\nX-BASETEN-ERROR-CODE: 600\r\n"),
            std::string::npos)
      << head;
}

}  // namespace
}  // namespace servebench::sim
