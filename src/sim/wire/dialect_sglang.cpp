// SGLang: native /generate (cumulative text, delta output_ids, meta_info every event) and the
// OpenAI routes, where pydantic serializes every field, nulls included (spec/protocols.md §6.2).
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

// matched_stop / finish_reason.matched of a stop on EOS: the EOS token id.
void AppendMatchedStop(JsonOut& j, const ReplyContext& ctx, Finish finish) {
  j.Key("matched_stop");
  if (finish == Finish::kStop) {
    j.Int(ctx.eos_token_id);
  } else {
    j.Null();
  }
}

// UsageInfo as model_dump_json writes it; the final usage event drops the null.
constexpr UsageShape kUsage{.null_prompt_details = true, .reasoning_tokens = true};
constexpr UsageShape kFinalUsage{.reasoning_tokens = true};

void AppendChunkUsage(JsonOut& j, const ReplyContext& ctx, int completion) {
  if (ctx.continuous_usage) {
    AppendUsage(j, ctx, completion, kUsage);
  } else {
    j.Null("usage");
  }
}

// SGLang answers return_cached_tokens_details only when the scheduler has details, which it has
// once any prompt token was cached (without HiCache: device = cached tokens, host = 0).
bool HasCacheDetails(const ReplyContext& ctx) {
  return ctx.cached_tokens_details && ctx.cached_tokens > 0;
}

void AppendSglext(JsonOut& j, const ReplyContext& ctx) {
  j.Key("sglext").Open().Key("cached_tokens_details").Open();
  j.Int("device", ctx.cached_tokens).Int("host", 0).Close().Close();
}

// The response-level `sglext` of a stream: its own chunk with no choice, after the finish
// chunk and before the usage chunk (model_dump_json: the unset usage is written as null).
void SendSglextChunk(const ReplyContext& ctx, std::string_view object, EventSink& sink) {
  if (!HasCacheDetails(ctx)) return;
  EventWriter w(ctx);
  JsonOut j(w.out(), kCompact);
  OpenEnvelope(j, ctx, object);
  j.Key("choices").OpenArray().CloseArray().Null("usage");
  AppendSglext(j, ctx);
  j.Close();
  w.Send(sink);
}

// The OpenAI routes' error object (ErrorResponse) with its status.
void AppendErrorObject(JsonOut& j, std::string_view message, std::string_view type, int code) {
  j.Open().Str("object", "error").Str("message", message).Str("type", type).Null("param");
  j.Int("code", code).Close();
}

class SglangOpenaiBase : public DialectBase {
 public:
  SglangOpenaiBase() : DialectBase(HeadStyle::kUvicorn) {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kPython);
    j.Open().Key("error");
    AppendErrorObject(j, message, "BadRequestError", 400);
    j.Close();
    w.Send(sink);
    SendDone(ctx, sink);
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    const int status = PlainStatus(kind);
    std::string body;
    JsonOut j(body, kCompact);
    AppendErrorObject(j, message, PythonErrorType(status), status);
    return JsonError(status, std::move(body));
  }
};

class SglangCompletions : public SglangOpenaiBase {
 public:
  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.new_text);
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
    AppendMatchedStop(j, ctx, p.finish);
    j.Close().CloseArray();
    AppendChunkUsage(j, ctx, p.completion_tokens);
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    SendSglextChunk(ctx, "text_completion", sink);
    EndWithUsage(ctx, "text_completion", p.completion_tokens, kFinalUsage, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.full_text);
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
    AppendMatchedStop(j, ctx, p.finish);
    j.Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Null("metadata");
    if (HasCacheDetails(ctx)) AppendSglext(j, ctx);
    j.Close();
    return body;
  }
};

// DeltaMessage with every field: role, content, reasoning_content, tool_calls.
void AppendDelta(JsonOut& j, std::string_view role, const std::string_view* content) {
  j.Key("delta").Open().StrOrNull("role", role).Key("content");
  if (content) {
    j.Str(*content);
  } else {
    j.Null();
  }
  j.Null("reasoning_content").Null("tool_calls").Close();
}

class SglangChat : public SglangOpenaiBase {
 public:
  void StreamStart(const ReplyContext& ctx, EventSink& sink) const override {
    std::string_view empty;
    SendChunk(ctx, "assistant", &empty, Finish::kNone, 0, sink);
  }

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    SendChunk(ctx, "", &p.new_text, Finish::kNone, p.completion_tokens, sink);
  }

  // The finish reason comes in its own chunk with an empty delta, then usage and [DONE].
  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    {
      EventWriter w(ctx);
      JsonOut j(w.out(), kCompact);
      OpenFirstChoice(j, ctx, "chat.completion.chunk");
      AppendDelta(j, "", nullptr);
      j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
      AppendMatchedStop(j, ctx, p.finish);
      j.Close().CloseArray().Null("usage").Close();
      w.Send(sink);
    }
    SendSglextChunk(ctx, "chat.completion.chunk", sink);
    EndWithUsage(ctx, "chat.completion.chunk", p.completion_tokens, kFinalUsage, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "chat.completion");
    j.Key("message").Open().Str("role", "assistant").Str("content", p.full_text);
    j.Null("reasoning_content").Null("tool_calls").Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
    AppendMatchedStop(j, ctx, p.finish);
    j.Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Null("metadata");
    if (HasCacheDetails(ctx)) AppendSglext(j, ctx);
    j.Close();
    return body;
  }

 private:
  static void SendChunk(const ReplyContext& ctx, std::string_view role,
                        const std::string_view* content, Finish finish, int completion,
                        EventSink& sink) {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    AppendDelta(j, role, content);
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(finish));
    AppendMatchedStop(j, ctx, finish);
    j.Close().CloseArray();
    AppendChunkUsage(j, ctx, completion);
    j.Close();
    w.Send(sink);
  }
};

// Native /generate.
class SglangGenerate : public DialectBase {
 public:
  SglangGenerate() : DialectBase(HeadStyle::kUvicorn) {}

  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    AppendResult(j, ctx, p);
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress&, EventSink& sink) const override {
    SendDone(ctx, sink);
  }

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    j.Open().Key("error").Open().Str("message", message).Close().Close();
    w.Send(sink);
    SendDone(ctx, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    AppendResult(j, ctx, p);
    return body;
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    int status = PlainStatus(kind);
    std::string body;
    JsonOut(body, kCompact).Open().Key("error").Open().Str("message", message).Close().Close();
    return JsonError(status, std::move(body));
  }

  // A streamed over-long prompt is reported in-band under status 200.
  bool ErrorInStream(const ReplyContext& ctx, ErrorKind kind) const override {
    return ctx.stream && kind == ErrorKind::kContextLength;
  }

 private:
  static void AppendResult(JsonOut& j, const ReplyContext& ctx, const Progress& p) {
    j.Open().Str("text", p.full_text).Key("output_ids").Ints(p.new_ids);
    j.Key("meta_info").Open().Str("id", ctx.id).Key("finish_reason");
    switch (p.finish) {
      case Finish::kNone:
        j.Null();
        break;
      case Finish::kLength:
        j.Open().Str("type", "length").Int("length", ctx.max_tokens).Close();
        break;
      case Finish::kStop:
        j.Open().Str("type", "stop").Int("matched", ctx.eos_token_id).Close();
        break;
    }
    j.Int("prompt_tokens", ctx.prompt_tokens).Str("weight_version", "default");
    j.Int("total_retractions", 0).Int("completion_tokens", p.completion_tokens);
    j.Int("cached_tokens", ctx.cached_tokens);
    if (p.finish != Finish::kNone) j.Key("e2e_latency").Double(p.elapsed_s);
    j.Close().Close();
  }
};

}  // namespace

const Dialect& SglangDialect(Route route) {
  static const SglangCompletions completions;
  static const SglangChat chat;
  static const SglangGenerate generate;
  if (route == Route::kSglangGenerate) return generate;
  if (route == Route::kChat) return chat;
  return completions;
}

}  // namespace servebench::sim
