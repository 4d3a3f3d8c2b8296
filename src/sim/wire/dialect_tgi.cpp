// TGI (axum on hyper): `data:` without a space, upper-case chunk sizes, `:` keep-alives.
// /generate_stream sends one token per event and no [DONE]; the OpenAI routes have id "",
// `object` first and a system_fingerprint (spec/protocols.md §6.5).
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

constexpr std::string_view kFingerprint = "3.3.6-native";
constexpr std::string_view kTgiEventStream = "text/event-stream";

// TGI's own finish reasons (FinishReason's serde names).
std::string_view TgiFinishName(Finish finish) {
  switch (finish) {
    case Finish::kLength:
      return "length";
    case Finish::kStop:
      return "eos_token";
    case Finish::kNone:
      break;
  }
  return "";
}

std::string_view ErrorType(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kRateLimited:
      return "overloaded";
    case ErrorKind::kServerError:
      return "incomplete_generation";
    default:
      return "validation";
  }
}

int ErrorStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kServerError:
      return 500;
    default:
      return 422;
  }
}

bool IsValidation(ErrorKind kind) {
  return kind != ErrorKind::kRateLimited && kind != ErrorKind::kServerError &&
         kind != ErrorKind::kUnauthorized;
}

class TgiBase : public DialectBase {
 public:
  TgiBase() : DialectBase(HeadStyle::kHyper, kTgiEventStream) {}

  bool UpperHexChunks() const override { return true; }

  void Ping(const ReplyContext& ctx, EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kNone);
    w.out().push_back(':');
    w.Send(sink);
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    std::string body;
    JsonOut(body, kCompact).Open().Str("error", message).Str("error_type", ErrorType(kind)).Close();
    return JsonError(ErrorStatus(kind), std::move(body));
  }
};

// POST /generate_stream, and /generate (non-stream) with --family tgi.
class TgiGenerate : public TgiBase {
 public:
  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kTight);
    JsonOut j(w.out(), kCompact);
    j.Open().Int("index", p.completion_tokens).Key("token").Open();
    j.Int("id", p.new_ids.empty() ? 0 : p.new_ids.back()).Str("text", p.new_text);
    j.Key("logprob").Float(p.logprob).Key("special").Bool(p.special).Close();
    if (p.finish == Finish::kNone) {
      j.Null("generated_text").Null("details");
    } else {
      j.Str("generated_text", p.full_text).Key("details");
      if (ctx.tgi_details) {
        j.Open().Str("finish_reason", TgiFinishName(p.finish));
        j.Int("generated_tokens", p.completion_tokens).Null("seed");
        j.Int("input_length", ctx.prompt_tokens).Close();
      } else {
        j.Null();
      }
    }
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext&, const Progress&, EventSink&) const override {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    StreamErrorOfKind(ctx, ErrorKind::kServerError, message, sink);
  }

  void StreamErrorOfKind(const ReplyContext& ctx, ErrorKind kind, std::string_view message,
                         EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kTight);
    JsonOut j(w.out(), kCompact);
    // A failure after generation began is a generation error; a request one, validation.
    std::string_view type = kind == ErrorKind::kServerError ? "generation" : ErrorType(kind);
    j.Open().Str("error", message).Str("error_type", type).Close();
    w.Send(sink);
  }

  // Validation runs inside the stream: its errors come under status 200.
  bool ErrorInStream(const ReplyContext& ctx, ErrorKind kind) const override {
    return ctx.stream && IsValidation(kind);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    j.Open().Str("generated_text", p.full_text);
    if (ctx.tgi_details) {
      j.Key("details").Open().Str("finish_reason", TgiFinishName(p.finish));
      j.Int("generated_tokens", p.completion_tokens).Null("seed");
      j.Key("prefill").OpenArray().CloseArray().Key("tokens").OpenArray().CloseArray().Close();
    }
    j.Close();
    return body;
  }
};

// The OpenAI routes' envelope: object first, id "", fingerprint after the model.
void OpenTgiEnvelope(JsonOut& j, const ReplyContext& ctx, std::string_view object) {
  j.Open().Str("object", object).Str("id", ctx.id).Int("created", ctx.created);
  j.Str("model", ctx.model).Str("system_fingerprint", kFingerprint);
}

constexpr UsageShape kUsage{.total_second = false};

class TgiOpenaiBase : public TgiBase {
 public:
  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    StreamErrorOfKind(ctx, ErrorKind::kServerError, message, sink);
  }

  void StreamErrorOfKind(const ReplyContext& ctx, ErrorKind kind, std::string_view message,
                         EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kTight);
    JsonOut j(w.out(), kCompact);
    j.Open().Key("error").Open().Str("message", message);
    j.Int("http_status_code", ErrorStatus(kind)).Close().Close();
    w.Send(sink);
  }
};

class TgiChat : public TgiOpenaiBase {
 public:
  // Role and content in every delta; no role-only chunk.
  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kTight);
    JsonOut j(w.out(), kCompact);
    OpenTgiEnvelope(j, ctx, "chat.completion.chunk");
    j.Key("choices").OpenArray().Open().Int("index", 0);
    j.Key("delta").Open().Str("role", "assistant").Str("content", p.new_text).Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    j.Null("usage").Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    if (ctx.include_usage) {
      EventWriter w(ctx, DataPrefix::kTight);
      JsonOut j(w.out(), kCompact);
      OpenTgiEnvelope(j, ctx, "chat.completion.chunk");
      j.Key("choices").OpenArray().CloseArray();
      AppendUsage(j, ctx, p.completion_tokens, kUsage);
      j.Close();
      w.Send(sink);
    }
    SendDone(ctx, sink, DataPrefix::kTight);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenTgiEnvelope(j, ctx, "chat.completion");
    j.Key("choices").OpenArray().Open().Int("index", 0);
    j.Key("message").Open().Str("role", "assistant").Str("content", p.full_text).Close();
    j.Null("logprobs").StrOrNull("finish_reason", FinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    return body;
  }
};

class TgiCompletions : public TgiOpenaiBase {
 public:
  // finish_reason is "" while running; the final chunk names TGI's reason and carries usage.
  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx, DataPrefix::kTight);
    JsonOut j(w.out(), kCompact);
    OpenTgiEnvelope(j, ctx, "text_completion");
    j.Key("choices").OpenArray().Open().Int("index", 0).Str("text", p.new_text);
    j.Null("logprobs").Str("finish_reason", TgiFinishName(p.finish)).Close().CloseArray();
    if (p.finish != Finish::kNone) AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext& ctx, const Progress&, EventSink& sink) const override {
    SendDone(ctx, sink, DataPrefix::kTight);
  }

  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    OpenTgiEnvelope(j, ctx, "text_completion");
    j.Key("choices").OpenArray().Open().Int("index", 0).Str("text", p.full_text);
    j.Null("logprobs").Str("finish_reason", TgiFinishName(p.finish)).Close().CloseArray();
    AppendUsage(j, ctx, p.completion_tokens, kUsage);
    j.Close();
    return body;
  }
};

}  // namespace

const Dialect& TgiDialect(Route route) {
  static const TgiGenerate generate;
  static const TgiChat chat;
  static const TgiCompletions completions;
  switch (route) {
    case Route::kChat:
      return chat;
    case Route::kCompletions:
      return completions;
    default:
      return generate;
  }
}

}  // namespace servebench::sim
