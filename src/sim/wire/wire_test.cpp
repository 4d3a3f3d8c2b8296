#include "sim/wire/wire.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "sim/wire/wire_test_util.h"

namespace servebench::sim {
namespace {

constexpr Family kAllFamilies[] = {Family::kSglang,         Family::kVllm,        Family::kLmdeploy,
                                   Family::kLmdeployLegacy, Family::kTrtllmServe, Family::kTgi,
                                   Family::kOpenai};
constexpr Route kAllRoutes[] = {Route::kCompletions,          Route::kChat,
                                Route::kSglangGenerate,       Route::kTgiGenerate,
                                Route::kTgiGenerateStream,    Route::kTritonGenerate,
                                Route::kTritonGenerateStream, Route::kTruss};

TEST(Wire, FamilyNamesRoundTrip) {
  for (Family f : kAllFamilies) {
    Family parsed = Family::kSglang;
    ASSERT_TRUE(ParseFamily(FamilyName(f), &parsed)) << FamilyName(f);
    EXPECT_EQ(parsed, f);
  }
  Family f = Family::kVllm;
  EXPECT_TRUE(ParseFamily("lmdeploy-legacy", &f));
  EXPECT_EQ(f, Family::kLmdeployLegacy);
  EXPECT_FALSE(ParseFamily("VLLM", &f));
  EXPECT_FALSE(ParseFamily("", &f));
}

TEST(Wire, ResponseIdsInFamilyStyle) {
  auto matches = [](const std::string& id, const char* re) {
    return std::regex_match(id, std::regex(re));
  };
  EXPECT_TRUE(matches(MakeResponseId(Family::kVllm, Route::kCompletions, 1), "cmpl-[0-9a-f]{16}"));
  EXPECT_TRUE(matches(MakeResponseId(Family::kVllm, Route::kChat, 1), "chatcmpl-[0-9a-f]{16}"));
  EXPECT_TRUE(matches(MakeResponseId(Family::kSglang, Route::kChat, 1), "[0-9a-f]{32}"));
  EXPECT_TRUE(matches(MakeResponseId(Family::kSglang, Route::kSglangGenerate, 1), "[0-9a-f]{32}"));
  EXPECT_EQ(MakeResponseId(Family::kLmdeployLegacy, Route::kChat, 7), "7");
  EXPECT_EQ(MakeResponseId(Family::kLmdeploy, Route::kCompletions, 7), "7");
  EXPECT_TRUE(matches(MakeResponseId(Family::kLmdeploy, Route::kChat, 7),
                      "chatcmpl-[2-9A-HJ-NP-Za-km-z]{22}"));
  EXPECT_TRUE(
      matches(MakeResponseId(Family::kTrtllmServe, Route::kChat, 1), "chatcmpl-[0-9a-f]{32}"));
  EXPECT_TRUE(
      matches(MakeResponseId(Family::kOpenai, Route::kChat, 1), "chatcmpl-[0-9A-Za-z]{29}"));
  EXPECT_EQ(MakeResponseId(Family::kTgi, Route::kChat, 1), "");
  EXPECT_EQ(MakeResponseId(Family::kVllm, Route::kTgiGenerateStream, 1), "");
  EXPECT_TRUE(matches(MakeResponseId(Family::kSglang, Route::kTruss, 1), "cmpl-[0-9a-f]{16}"));

  std::set<std::string> seen;
  for (uint64_t seq = 1; seq <= 10000; ++seq) {
    EXPECT_EQ(MakeResponseId(Family::kVllm, Route::kChat, seq),
              MakeResponseId(Family::kVllm, Route::kChat, seq));
    seen.insert(MakeResponseId(Family::kVllm, Route::kChat, seq));
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Wire, ChunkFramingInBothCases) {
  std::string out;
  AppendChunk(std::string(126, 'x'), /*upper_hex=*/true, out);
  EXPECT_EQ(out.substr(0, 4), "7E\r\n");
  EXPECT_TRUE(out.ends_with("x\r\n"));
  out.clear();
  AppendChunk(std::string(225, 'x'), false, out);
  EXPECT_EQ(out.substr(0, 4), "e1\r\n");
  out.clear();
  AppendChunk("", false, out);
  EXPECT_EQ(out, "0\r\n\r\n");
  EXPECT_EQ(StatusReason(404), "Not Found");
  EXPECT_EQ(StatusReason(422), "Unprocessable Entity");
}

// Every family × route × stream option: each event is one framed data line (or a comment), the
// end marker is where the family sends one, and non-stream bodies are single JSON objects.
TEST(Wire, EveryDialectFramesEveryEvent) {
  for (Family family : kAllFamilies) {
    for (Route route : kAllRoutes) {
      for (int flags = 0; flags < 8; ++flags) {
        ReplyContext ctx;
        ctx.family = family;
        ctx.route = route;
        ctx.include_usage = flags & 1;
        ctx.continuous_usage = flags & 2;
        ctx.crlf = flags & 4;
        ctx.model = "m";
        std::string id = MakeResponseId(family, route, 3);
        ctx.id = id;
        ctx.prompt_tokens = 5;
        ctx.max_tokens = 3;
        SCOPED_TRACE(std::string(FamilyName(family)) + " route " +
                     std::to_string(static_cast<int>(route)) + " flags " + std::to_string(flags));
        const Dialect& d = DialectFor(family, route);
        const bool tgi =
            route == Route::kTgiGenerateStream || route == Route::kTgiGenerate ||
            (family == Family::kTgi && (route == Route::kCompletions || route == Route::kChat));
        const std::string prefix = tgi ? "data:" : "data: ";
        const std::string sep = ctx.crlf ? "\r\n\r\n" : "\n\n";
        auto events = testing::StreamReply(d, ctx, testing::ParisTokens());
        ASSERT_FALSE(events.empty());
        int token_events = 0;
        for (const std::string& e : events) {
          ASSERT_TRUE(e.starts_with(prefix)) << e;
          ASSERT_TRUE(e.ends_with(sep)) << e;
          std::string_view data(e);
          data.remove_prefix(prefix.size());
          data.remove_suffix(sep.size());
          if (data.ends_with(' ')) data.remove_suffix(1);  // trtllm-serve's first event
          if (data == "[DONE]") continue;
          EXPECT_TRUE(data.starts_with('{') && data.ends_with('}')) << e;
          EXPECT_EQ(data.find('\n'), std::string_view::npos) << e;
          if (data.find("Paris") != std::string_view::npos) ++token_events;
        }
        EXPECT_GE(token_events, 1);
        const bool no_done = route == Route::kTgiGenerateStream || route == Route::kTgiGenerate ||
                             route == Route::kTritonGenerateStream ||
                             route == Route::kTritonGenerate;
        EXPECT_EQ(events.back() == prefix + "[DONE]" + sep, !no_done) << events.back();

        ctx.stream = false;
        std::string body = testing::FullReply(d, ctx, testing::ParisTokens());
        EXPECT_TRUE(body.starts_with('{') && body.ends_with('}')) << body;
        EXPECT_NE(body.find(" Paris. It"), std::string::npos) << body;
        std::string head;
        d.AppendHead(ctx, false, body.size(), head);
        EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
        EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
        EXPECT_EQ(head.find("lose"), std::string::npos) << head;  // never Connection: close

        for (ErrorKind kind :
             {ErrorKind::kBadRequest, ErrorKind::kContextLength, ErrorKind::kModelNotFound,
              ErrorKind::kMissingModel, ErrorKind::kStreamOptions, ErrorKind::kUnauthorized,
              ErrorKind::kContentType, ErrorKind::kRateLimited, ErrorKind::kServerError}) {
          ErrorReply e = d.Error(ctx, kind, "msg");
          EXPECT_GE(e.status, 400);
          EXPECT_TRUE(e.body.starts_with('{') && e.body.ends_with('}')) << e.body;
          std::string error_head;
          d.AppendErrorHead(ctx, e, error_head);
          EXPECT_NE(error_head.find("ength: " + std::to_string(e.body.size()) + "\r\n"),
                    std::string::npos)
              << error_head;
        }
      }
    }
  }
}

}  // namespace
}  // namespace servebench::sim

namespace servebench::sim {
namespace {

// The envelope cache keys on contents: a reused id buffer with new bytes must not leak old ones.
TEST(Wire, ReusedIdBufferGivesTheNewId) {
  const Dialect& d = DialectFor(Family::kVllm, Route::kCompletions);
  std::string id = "cmpl-aaaa";
  ReplyContext ctx;
  ctx.model = "m";
  ctx.id = id;
  testing::RecordingSink sink;
  Progress p;
  p.new_text = "x";
  d.StreamTokens(ctx, p, sink);
  id[5] = 'b';  // same address and size, new contents
  d.StreamTokens(ctx, p, sink);
  ctx.created = 5;
  d.StreamTokens(ctx, p, sink);
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_TRUE(sink.events[0].starts_with(
      R"(data: {"id":"cmpl-aaaa","object":"text_completion","created":0,)"));
  EXPECT_TRUE(sink.events[1].starts_with(
      R"(data: {"id":"cmpl-baaa","object":"text_completion","created":0,)"));
  EXPECT_TRUE(sink.events[2].starts_with(
      R"(data: {"id":"cmpl-baaa","object":"text_completion","created":5,)"));
}

}  // namespace
}  // namespace servebench::sim
