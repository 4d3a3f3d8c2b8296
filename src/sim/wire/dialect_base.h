// What the family dialects share: SSE framing, the reused event buffer, heads, and the pieces of
// OpenAI-style JSON whose shape differs only by key order.
#pragma once

#include <string>
#include <string_view>

#include "sim/wire/http_head.h"
#include "sim/wire/json_writer.h"
#include "sim/wire/wire.h"

namespace servebench::sim {

// How a family frames an SSE event: `data: ` (uvicorn apps, Triton) or `data:` (axum).
enum class DataPrefix { kSpaced, kTight, kNone /* comments */ };

// Builds one event in a thread's reused buffer and hands it to the sink: no allocation once the
// buffer has grown to the largest event.
class EventWriter {
 public:
  EventWriter(const ReplyContext& ctx, DataPrefix prefix = DataPrefix::kSpaced);
  std::string& out() { return out_; }
  // Appends the separator (`\n\n`, or `\r\n\r\n` in the crlf style) and sends the event.
  void Send(EventSink& sink);
  // Sends the event with `trailer` before the separator (trtllm-serve's `} \n\n`).
  void SendWith(std::string_view trailer, EventSink& sink);

 private:
  const ReplyContext& ctx_;
  std::string& out_;
};

// `data: [DONE]` (or `data:[DONE]`) as one event.
void SendDone(const ReplyContext& ctx, EventSink& sink, DataPrefix prefix = DataPrefix::kSpaced);
// An event whose data is `json` as given.
void SendData(const ReplyContext& ctx, std::string_view json, EventSink& sink,
              DataPrefix prefix = DataPrefix::kSpaced);

// OpenAI-style finish reason, "" for kNone.
std::string_view FinishName(Finish finish);

// Opens the object and writes "id", "object", "created", "model" in that order (the OpenAI
// response envelope most families share).
void OpenEnvelope(JsonOut& j, const ReplyContext& ctx, std::string_view object);

enum class UsageOrder {
  kPromptTotalCompletion,  // vLLM, SGLang, LMDeploy, trtllm-serve (UsageInfo field order)
  kPromptCompletionTotal,  // OpenAI, TGI
};
// The usage object's three counts as key/values inside an open object (callers add extras).
void AppendUsageCounts(JsonOut& j, UsageOrder order, int prompt, int completion);

// Common ground of every dialect: heads in the family's HTTP stack's style, pings in
// sse-starlette's form, errors in-stream by default never.
class DialectBase : public Dialect {
 public:
  explicit DialectBase(HeadStyle head, std::string_view stream_type = kEventStreamUtf8)
      : head_(head), stream_type_(stream_type) {}

  void AppendHead(const ReplyContext& ctx, bool chunked, size_t content_length,
                  std::string& out) const override;
  void AppendErrorHead(const ReplyContext& ctx, const ErrorReply& reply,
                       std::string& out) const override;
  void Ping(const ReplyContext& ctx, EventSink& sink) const override;

 protected:
  HeadStyle head_;
  std::string_view stream_type_;
};

// The status most families give an error kind: 401, 404, 429, 500, else 400.
int PlainStatus(ErrorKind kind);

// Error bodies shared by several families.
ErrorReply JsonError(int status, std::string body);
ErrorReply UnauthorizedError();  // 401 {"error":"Unauthorized"} (every --api-key check)
// {"error":"<message>"} (Triton, trtllm-serve validation, Truss).
std::string FlatStringError(std::string_view message);

}  // namespace servebench::sim
