// Triton's generate extension on the TensorRT-LLM ensemble: one event per decoupled response,
// keys in alphabetical order, no [DONE], no finish reason, no counts (spec/protocols.md §6.4).
#include "sim/wire/dialect_base.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

class Triton : public DialectBase {
 public:
  Triton() : DialectBase(HeadStyle::kTriton) {}

  void StreamStart(const ReplyContext&, EventSink&) const override {}

  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override {
    EventWriter w(ctx);
    JsonOut j(w.out(), kCompact);
    AppendResponse(j, ctx.trt_accumulate ? p.full_text : p.new_text);
    w.Send(sink);
  }

  void StreamEnd(const ReplyContext&, const Progress&, EventSink&) const override {}

  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override {
    EventWriter w(ctx);
    w.out().append(FlatStringError(message));
    w.Send(sink);
  }

  // Non-stream /generate: one response; exclude_input_in_output leaves only the generation.
  std::string FullBody(const ReplyContext&, const Progress& p) const override {
    std::string body;
    JsonOut j(body, kCompact);
    AppendResponse(j, p.full_text);
    return body;
  }

  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    int status = PlainStatus(kind);
    return JsonError(status, FlatStringError(message));
  }

 private:
  static void AppendResponse(JsonOut& j, std::string_view text) {
    j.Open().Int("batch_index", 0).Key("context_logits").Raw("0.0");
    j.Key("cum_log_probs").Raw("0.0").Key("generation_logits").Raw("0.0");
    j.Str("model_name", "ensemble").Str("model_version", "1");
    j.Key("output_log_probs").Raw("[0.0]").Key("sequence_end").Bool(false);
    j.Int("sequence_id", 0).Int("sequence_index", 0).Key("sequence_start").Bool(false);
    j.Str("text_output", text).Close();
  }
};

}  // namespace

const Dialect& TritonDialect() {
  static const Triton triton;
  return triton;
}

}  // namespace servebench::sim
