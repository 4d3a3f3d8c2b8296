#include <gtest/gtest.h>

#include "sim/wire/wire.h"
#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

using testing::Lines;
using testing::StreamReply;

TEST(OpenaiDialect, ChatMatchesTranscriptFinishInItsOwnEvent) {
  ReplyContext ctx;
  ctx.family = Family::kOpenai;
  ctx.route = Route::kChat;
  ctx.model = "gpt-4o-2024-08-06";
  ctx.id = "chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh";
  ctx.created = 1727346171;
  ctx.prompt_tokens = 14;
  ctx.include_usage = true;
  auto events = StreamReply(DialectFor(Family::kOpenai, Route::kChat), ctx, {{"Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}\n\n)",
          R"(data: {"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{"content":"Paris"},"logprobs":null,"finish_reason":null}]}\n\n)",
          R"(data: {"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}]}\n\n)",
          R"(data: {"id":"chatcmpl-ABfw3Oqj8RD0z6aJiiX37oTjV2HFh","object":"chat.completion.chunk","created":1727346171,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":1,"total_tokens":15,"completion_tokens_details":{"reasoning_tokens":0}}}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
}

TEST(OpenaiDialect, CompletionsChoicesBeforeModelAndErrors) {
  ReplyContext ctx;
  ctx.family = Family::kOpenai;
  ctx.route = Route::kCompletions;
  ctx.model = "gpt-3.5-turbo-instruct";
  ctx.id = "cmpl-1";
  ctx.created = 1;
  const Dialect& d = DialectFor(Family::kOpenai, Route::kCompletions);
  auto events = StreamReply(d, ctx, {{" Paris", 1}});
  EXPECT_EQ(
      events,
      Lines({
          R"(data: {"id":"cmpl-1","object":"text_completion","created":1,"choices":[{"text":" Paris","index":0,"logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct"}\n\n)",
          R"(data: {"id":"cmpl-1","object":"text_completion","created":1,"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"length"}],"model":"gpt-3.5-turbo-instruct"}\n\n)",
          R"(data: [DONE]\n\n)",
      }));
  ErrorReply e = d.Error(ctx, ErrorKind::kContextLength,
                         "This model's maximum context length is 4097 tokens.");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(
      e.body,
      R"({"error":{"message":"This model's maximum context length is 4097 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})");
  EXPECT_EQ(d.Error(ctx, ErrorKind::kModelNotFound, "x").status, 404);
  std::string head;
  d.AppendHead(ctx, true, 0, head);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\ndate: ")) << head;
  EXPECT_NE(head.find("content-type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(head.find("close"), std::string::npos);
}

}  // namespace
}  // namespace servebench::sim
