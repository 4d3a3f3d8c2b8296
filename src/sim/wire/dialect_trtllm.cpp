// trtllm-serve: completions chunks with every field and nulls, chat chunks with nulls dropped and
// the first one ending in `} \n\n`, errors as {"error": "<text>"} (spec/protocols.md §6.4).
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

// Completions serialize every field; chat drops nulls.
constexpr UsageShape kFullUsage{.null_prompt_details = true};
constexpr UsageShape kChatUsage{};

bool ContinuousUsage(const ReplyContext& ctx) {
  return ctx.include_usage && ctx.continuous_usage;
}

class TrtllmBase : public DialectBase {
 public:
  TrtllmBase() : DialectBase(HeadStyle::kUvicorn) {}

  // An exception in the generator aborts the response: nothing more is written.
  void StreamError(const ReplyContext&, std::string_view, EventSink&) const override {}
  bool DropsConnectionOnStreamError() const override { return true; }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    int status = PlainStatus(kind);
    return JsonError(status, FlatStringError(message));
  }
};

class TrtllmCompletions : public TrtllmBase {
 public:
  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.new_text);
    j.Null("token_ids").Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish));
    j.Null("stop_reason").Null("avg_decoded_tokens_per_iter").Close().CloseArray();
    if (ContinuousUsage(ctx)) {
      AppendUsage(j, ctx, p.completion_tokens, kFullUsage);
    } else {
      j.Null("usage");
    }
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EndWithUsage(ctx, "text_completion", p.completion_tokens, kFullUsage, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "text_completion");
    j.Str("text", p.full_text);
    j.Null("token_ids").Null("logprobs").Null("context_logits");
    j.StrOrNull("finish_reason", FinishName(p.finish)).Null("stop_reason");
    j.Null("disaggregated_params").Null("avg_decoded_tokens_per_iter").Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kFullUsage);
    j.Null("prompt_token_ids").Close();
    return body;
  }
};

class TrtllmChat : public TrtllmBase {
 public:
  void StreamStart(const ReplyContext& ctx, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    j.Key("delta").Open().Str("role", "assistant").Close().Close().CloseArray();
    if (ContinuousUsage(ctx)) AppendUsage(j, ctx, 0, kChatUsage);
    j.Close();
    w.SendWith(" ", sink);  // the server's f"data: {data} \n\n" for the first chunk
  }

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    OpenFirstChoice(j, ctx, "chat.completion.chunk");
    j.Key("delta").Open().Str("content", p.new_text).Close();
    if (p.finish != Finish::kNone) j.Str("finish_reason", FinishName(p.finish));
    j.Close().CloseArray();
    if (ContinuousUsage(ctx)) AppendUsage(j, ctx, p.completion_tokens, kChatUsage);
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EndWithUsage(ctx, "chat.completion.chunk", p.completion_tokens, kChatUsage, sink);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenFirstChoice(j, ctx, "chat.completion");
    j.Key("message").Open().Str("role", "assistant").Str("content", p.full_text);
    j.Null("reasoning_content").Key("tool_calls").OpenArray().CloseArray().Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Null("stop_reason");
    j.Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kFullUsage);
    j.Close();
    return body;
  }
};

}  // namespace

const Dialect& TrtllmServeDialect(Route route) {
  static const TrtllmCompletions completions;
  static const TrtllmChat chat;
  if (route == Route::kChat) return chat;
  return completions;
}

}  // namespace servebench::sim
