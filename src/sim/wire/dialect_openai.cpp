// api.openai.com: role chunk with "refusal": null, the finish reason in its own empty-delta
// event, usage with completion_tokens_details (spec/protocols.md §6.6). Legacy completions
// put "choices" before "model".
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

constexpr std::string_view kFingerprint = "fp_7568d46099";

constexpr UsageShape kUsage{.total_second = false, .completion_details = true};

class OpenaiBase : public DialectBase {
 public:
  OpenaiBase() : DialectBase(HeadStyle::kOpenai) {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    j.Open().Key("error").Open().Str("message", message).Str("type", "server_error");
    j.Null("param").Null("code").Close().Close();
    w.Send(sink);
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    int status = 400;
    std::string_view type = "invalid_request_error";
    std::string_view param;
    std::string_view code;
    switch (kind) {
      case ErrorKind::kUnauthorized:
        return UnauthorizedError();
      case ErrorKind::kContextLength:
        param = "messages", code = "context_length_exceeded";
        break;
      case ErrorKind::kModelNotFound:
        status = 404, code = "model_not_found";
        break;
      case ErrorKind::kRateLimited:
        status = 429, type = "requests", code = "rate_limit_exceeded";
        break;
      case ErrorKind::kServerError:
        status = 500, type = "server_error";
        break;
      case ErrorKind::kBadRequest:
      case ErrorKind::kMissingModel:
      case ErrorKind::kStreamOptions:
      case ErrorKind::kContentType:
        break;
    }
    std::string body;
    JsonOut j(body, kCompact);
    j.Open().Key("error").Open().Str("message", message).Str("type", type);
    j.StrOrNull("param", param).StrOrNull("code", code).Close().Close();
    return JsonError(status, std::move(body));
  }
};

class OpenaiChat : public OpenaiBase {
 public:
  void StreamStart(const ReplyContext& ctx, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenChunk(j, ctx);
    j.Key("delta").Open().Str("role", "assistant").Str("content", "").Null("refusal").Close();
    j.Null("logprobs").Null("finish_reason").Close().CloseArray().Close();
    w.Send(sink);
  }

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenChunk(j, ctx);
    j.Key("delta").Open().Str("content", p.new_text).Close();
    j.Null("logprobs").Null("finish_reason").Close().CloseArray().Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    {
      EventWriter w(ctx);
      JsonOut j(w.out(), kCompact);
      OpenChunk(j, ctx);
      j.Key("delta").Open().Close();
      j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
      j.Close().CloseArray().Close();
      w.Send(sink);
    }
    if (ctx.include_usage) {
      EventWriter w(ctx);
      JsonOut j(w.out(), kCompact);
      OpenEnvelope(j, ctx, "chat.completion.chunk");
      j.Str("system_fingerprint", kFingerprint).Key("choices").OpenArray().CloseArray();
      AppendUsage(j, ctx, p.completion_tokens, kUsage);
      j.Close();
      w.Send(sink);
    }
    SendDone(ctx, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "chat.completion");
    j.Key("message").Open().Str("role", "assistant").Str("content", p.full_text);
    j.Null("refusal").Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Str("system_fingerprint", kFingerprint).Close();
    return body;
  }

 private:
  // Envelope, fingerprint, and the open first choice up to its index.
  static void OpenChunk(JsonOut& j, const ReplyContext& ctx) {
    OpenEnvelope(j, ctx, "chat.completion.chunk");
    j.Str("system_fingerprint", kFingerprint);
    j.Key("choices").OpenArray().Open().Int("index", 0);
  }
};

class OpenaiCompletions : public OpenaiBase {
 public:
  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    SendChunk(ctx, p.new_text, Finish::kNone, sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    SendChunk(ctx, "", p.finish, sink);
    if (ctx.include_usage) {
      EventWriter w(ctx);
      JsonOut j(w.out(), kCompact);
      j.Open().Str("id", ctx.id).Str("object", "text_completion").Int("created", ctx.created);
      j.Key("choices").OpenArray().CloseArray().Str("model", ctx.model);
      AppendUsage(j, ctx, p.completion_tokens, kUsage);
      j.Close();
      w.Send(sink);
    }
    SendDone(ctx, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenEnvelope(j, ctx, "text_completion");
    j.Key("choices").OpenArray().Open().Str("text", p.full_text).Int("index", 0);
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    return body;
  }

 private:
  static void SendChunk(const ReplyContext& ctx, std::string_view text, Finish finish,
                        EventSink& sink) {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    j.Open().Str("id", ctx.id).Str("object", "text_completion").Int("created", ctx.created);
    j.Key("choices").OpenArray().Open().Str("text", text).Int("index", 0).Null("logprobs");
    j.StrOrNull("finish_reason", FinishName(finish)).Close().CloseArray();
    j.Str("model", ctx.model).Close();
    w.Send(sink);
  }
};

}  // namespace

const Dialect& OpenaiDialect(Route route) {
  static const OpenaiCompletions completions;
  static const OpenaiChat chat;
  if (route == Route::kChat) return chat;
  return completions;
}

}  // namespace servebench::sim
