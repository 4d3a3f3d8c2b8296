// vLLM (>= 0.10.1): compact JSON with unset fields omitted, last token and finish in one event,
// usage in a separate `choices: []` event, spaced in-stream errors (spec/protocols.md §6.1).
#include "sim/wire/dialect_vllm.h"

#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

constexpr UsageShape kUsage{};

// The in-stream error vLLM writes with json.dumps, then [DONE].
void SendVllmStreamError(const ReplyContext& ctx, std::string_view message, EventSink& sink) {
  EventWriter w(ctx);
  JsonOut j(w.out(), kPython);
  j.Open().Key("error").Open();
  j.Str("message", message).Str("type", "BadRequestError").Null("param").Int("code", 400);
  j.Close().Close();
  w.Send(sink);
  SendDone(ctx, sink);
}

ErrorReply VllmError(ErrorKind kind, std::string_view message) {
  if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
  const int status = PlainStatus(kind);
  const std::string_view type = PythonErrorType(status);
  const std::string_view param = status == 404 ? "model" : "";
  std::string body;
  JsonOut j(body, kCompact);
  j.Open().Key("error").Open().Str("message", message).Str("type", type);
  j.StrOrNull("param", param).Int("code", status).Close().Close();
  return JsonError(status, std::move(body));
}

class VllmChat : public DialectBase {
 public:
  VllmChat() : DialectBase(HeadStyle::kUvicorn) {}

  void StreamStart(const ReplyContext& ctx, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    j.Key("delta").Open().Str("role", "assistant").Str("content", "").Close();
    j.Null("logprobs").Null("finish_reason").Close().CloseArray();
    if (VllmContinuousUsage(ctx)) AppendUsage(j, ctx, 0, kUsage);
    j.Null("prompt_token_ids").Close();
    w.Send(sink);
  }

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    j.Key("delta").Open().Str("content", p.new_text).Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
    if (p.finish != Finish::kNone) j.Null("stop_reason");
    j.Null("token_ids").Close().CloseArray();
    if (VllmContinuousUsage(ctx)) AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EndWithUsage(ctx, "chat.completion.chunk", p.completion_tokens, kUsage, sink);
  }

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    SendVllmStreamError(ctx, message, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "chat.completion");
    j.Key("message").Open().Str("role", "assistant").Null("reasoning_content");
    j.Str("content", p.full_text).Key("tool_calls").OpenArray().CloseArray().Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Null("stop_reason");
    j.Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Null("prompt_logprobs").Null("kv_transfer_params").Close();
    return body;
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    return VllmError(kind, message);
  }
};

}  // namespace

void VllmCompletions::StreamTokens(const ReplyContext& ctx, const Progress& p,
                                   EventSink& sink) const {
  EventWriter w(ctx);
  JsonOut j(w.out(), kCompact);
  OpenFirstChoice(j, ctx, "text_completion");
  j.Str("text", p.new_text);
  j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Null("stop_reason");
  j.Close().CloseArray();
  if (VllmContinuousUsage(ctx)) AppendUsage(j, ctx, p.completion_tokens, kUsage);
  j.Close();
  w.Send(sink);
}

void VllmCompletions::StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const {
  EndWithUsage(ctx, "text_completion", p.completion_tokens, kUsage, sink);
}

void VllmCompletions::StreamError(const ReplyContext& ctx, std::string_view message,
                                  EventSink& sink) const {
  SendVllmStreamError(ctx, message, sink);
}

std::string VllmCompletions::FullBody(const ReplyContext& ctx, const Progress& p) const {
  std::string body;
  JsonOut j(body, kCompact);
  OpenFirstChoice(j, ctx, "text_completion");
  j.Str("text", p.full_text);
  j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Null("stop_reason");
  j.Null("prompt_logprobs").Close().CloseArray();
  AppendUsage(j, ctx, p.completion_tokens, kUsage);
  j.Null("kv_transfer_params").Close();
  return body;
}

ErrorReply VllmCompletions::Error(const ReplyContext&, ErrorKind kind,
                                  std::string_view message) const {
  return VllmError(kind, message);
}

const Dialect& VllmDialect(Route route) {
  static const VllmCompletions completions;
  static const VllmChat chat;
  if (route == Route::kChat) return chat;
  return completions;
}

}  // namespace servebench::sim
