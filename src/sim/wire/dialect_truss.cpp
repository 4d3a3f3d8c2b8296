// Truss: the model's generator bytes under application/octet-stream. The deployments benchmarked
// this way proxy vLLM, so the bytes are vLLM's completions SSE (spec/protocols.md §6.7).
#include "sim/wire/dialect_vllm.h"
#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

class Truss : public VllmCompletions {
 public:
  Truss() : VllmCompletions("application/octet-stream") {}

  // Truss's own errors: {"error": "..."} plus the source (04: the model) and a code
  // (700: bad input, 600: model failure).
  ErrorReply Error(const ReplyContext&, ErrorKind kind, std::string_view message) const override {
    if (kind == ErrorKind::kUnauthorized) return UnauthorizedError();
    int status = PlainStatus(kind);
    ErrorReply reply = JsonError(status, FlatStringError(message));
    reply.extra_headers = status >= 500
                              ? "X-BASETEN-ERROR-SOURCE: 04\r\nX-BASETEN-ERROR-CODE: 600\r\n"
                              : "X-BASETEN-ERROR-SOURCE: 04\r\nX-BASETEN-ERROR-CODE: 700\r\n";
    return reply;
  }
};

}  // namespace

const Dialect& TrussDialect() {
  static const Truss truss;
  return truss;
}

}  // namespace servebench::sim
