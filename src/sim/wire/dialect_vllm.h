// vLLM's OpenAI-compatible completions stream, shared with Truss (which proxies it).
#pragma once

#include "sim/wire/dialect_base.h"

namespace servebench::sim {

class VllmCompletions : public DialectBase {
 public:
  explicit VllmCompletions(std::string_view stream_type = kEventStreamUtf8)
      : DialectBase(HeadStyle::kUvicorn, stream_type) {}

  void StreamStart(const ReplyContext&, EventSink&) const override {}
  void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override;
  void StreamEnd(const ReplyContext& ctx, const Progress& p, EventSink& sink) const override;
  void StreamError(const ReplyContext& ctx, std::string_view message,
                   EventSink& sink) const override;
  std::string FullBody(const ReplyContext& ctx, const Progress& p) const override;
  ErrorReply Error(const ReplyContext& ctx, ErrorKind kind,
                   std::string_view message) const override;
};

// vLLM sends usage on every chunk only when both stream options ask for it.
inline bool VllmContinuousUsage(const ReplyContext& ctx) {
  return ctx.include_usage && ctx.continuous_usage;
}

}  // namespace servebench::sim
