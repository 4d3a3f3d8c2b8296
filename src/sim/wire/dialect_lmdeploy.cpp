// LMDeploy: completions events written by json.dumps (spaced, \uXXXX), chat events by pydantic
// (compact). Releases <= 0.13 ("legacy") keep nulls and put usage on the finish event; >= 0.14
// drop nulls and send a separate, compact usage event — two JSON styles in one stream
// (spec/protocols.md §6.3).
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

constexpr UsageShape kUsage{};

// Legacy: usage null except on the finish event when include_usage was asked.
void AppendInlineUsage(JsonOut& j, const ReplyContext& ctx, const Progress& p) {
  if (ctx.include_usage && p.finish != Finish::kNone) {
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
  } else {
    j.Null("usage");
  }
}

void AppendErrorObject(JsonOut& j, std::string_view message, int code) {
  j.Open().Str("message", message).Str("type", "invalid_request_error").Int("code", code);
  j.Null("param").Str("object", "error").Close();
}

class LmdeployBase : public DialectBase {
 public:
  explicit LmdeployBase(bool legacy) : DialectBase(HeadStyle::kUvicorn), legacy_(legacy) {}

  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kPython);
    j.Open().Key("error");
    AppendErrorObject(j, message, 400);
    j.Close();
    w.Send(sink);
    SendDone(ctx, sink);
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    if (kind == ErrorKind::kMissingModel) {
      // FastAPI's request validation (pydantic) of the required field.
      return JsonError(
          422, R"({"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required"}]})");
    }
    int status = PlainStatus(kind);
    std::string body;
    JsonOut j(body, kCompact);
    AppendErrorObject(j, message, status);
    return JsonError(status, std::move(body));
  }

  // >= 0.14 reports request errors found by the engine (an over-long prompt) in the stream.
  bool ErrorInStream(const ReplyContext& ctx, ErrorKind kind) const override {
    return !legacy_ && ctx.stream && kind == ErrorKind::kContextLength;
  }

 protected:
  bool legacy_;
};

class LmdeployCompletions : public LmdeployBase {
 public:
  using LmdeployBase::LmdeployBase;

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kPython);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.new_text);
    if (legacy_) {
      j.Null("logprobs").Null("gen_tokens").StrOrNull("finish_reason", FinishName(p.finish));
      j.Close().CloseArray();
      AppendInlineUsage(j, ctx, p);
    } else {
      if (p.finish != Finish::kNone) j.Str("finish_reason", FinishName(p.finish));
      j.Close().CloseArray();
      if (ctx.include_usage) j.Null("usage");
    }
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    if (!legacy_ && ctx.include_usage) {
      SendUsageEvent(ctx, "text_completion", p.completion_tokens, kUsage, sink);
    }
    SendDone(ctx, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.full_text);
    j.Null("logprobs");
    if (legacy_) j.Null("gen_tokens");
    j.StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    return body;
  }
};

class LmdeployChat : public LmdeployBase {
 public:
  using LmdeployBase::LmdeployBase;

  // No role chunk: `role` rides in every delta.
  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    j.Key("delta").Open().Str("role", "assistant").Str("content", p.new_text);
    if (legacy_) {
      j.Null("reasoning_content").Null("gen_tokens").Key("tool_calls").OpenArray().CloseArray();
      j.Close().Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
      j.Close().CloseArray();
      AppendInlineUsage(j, ctx, p);
    } else {
      j.Close();
      if (p.finish != Finish::kNone) j.Str("finish_reason", FinishName(p.finish));
      j.Close().CloseArray();
    }
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    if (!legacy_ && ctx.include_usage) {
      SendUsageEvent(ctx, "chat.completion.chunk", p.completion_tokens, kUsage, sink);
    }
    SendDone(ctx, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "chat.completion");
    j.Key("message").Open().Str("role", "assistant").Str("content", p.full_text);
    j.Null("reasoning_content").Null("tool_calls").Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    return body;
  }
};

}  // namespace

const Dialect& LmdeployDialect(Route route, bool legacy) {
  static const LmdeployCompletions completions(false), legacy_completions(true);
  static const LmdeployChat chat(false), legacy_chat(true);
  if (route == Route::kChat) return legacy ? legacy_chat : chat;
  return legacy ? legacy_completions : completions;
}

}  // namespace servebench::sim
