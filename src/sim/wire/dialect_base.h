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

// OpenEnvelope, then "choices":[{"index":0 left open for the choice's fields.
void OpenFirstChoice(JsonOut& j, const ReplyContext& ctx, std::string_view object);

// How a family writes its usage object.
struct UsageShape {
  bool total_second = true;  // prompt,total,completion (UsageInfo); else prompt,completion,total
  bool null_prompt_details = false;  // "prompt_tokens_details":null
  bool reasoning_tokens = false;     // "reasoning_tokens":0 (SGLang)
  bool completion_details = false;   // "completion_tokens_details":{"reasoning_tokens":0} (OpenAI)
};
// "usage":{...} inside an open object.
void AppendUsage(JsonOut& j, const ReplyContext& ctx, int completion, UsageShape shape);
// The separate usage event: envelope, "choices":[], usage.
void SendUsageEvent(const ReplyContext& ctx, std::string_view object, int completion,
                    UsageShape shape, EventSink& sink);
// The end of most OpenAI-route streams: the usage event when include_usage asked, then [DONE].
void EndWithUsage(const ReplyContext& ctx, std::string_view object, int completion,
                  UsageShape shape, EventSink& sink);

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
// The error `type` of the Python servers' ErrorResponse for a PlainStatus status.
std::string_view PythonErrorType(int status);

// Error bodies shared by several families.
ErrorReply JsonError(int status, std::string body);
ErrorReply UnauthorizedError();  // 401 {"error":"Unauthorized"} (every --api-key check)
// {"error":"<message>"} (Triton, trtllm-serve validation, Truss).
std::string FlatStringError(std::string_view message);

}  // namespace servebench::sim
