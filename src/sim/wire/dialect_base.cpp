#include "sim/wire/dialect_base.h"

#include <ctime>

namespace servebench::sim {
namespace {

std::string& ThreadEventBuffer() {
  thread_local std::string buffer;
  return buffer;
}

std::string_view Separator(const ReplyContext& ctx) {
  return ctx.crlf ? "\r\n\r\n" : "\n\n";
}

void AppendTwoDigits(int v, std::string& out) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

HeadSpec ErrorHeadSpec(const ErrorReply& reply) {
  HeadSpec spec;
  spec.status = reply.status;
  spec.content_type = reply.content_type;
  spec.content_length = reply.body.size();
  spec.extra_headers = reply.extra_headers;
  return spec;
}

}  // namespace

EventWriter::EventWriter(const ReplyContext& ctx, DataPrefix prefix)
    : ctx_(ctx), out_(ThreadEventBuffer()) {
  out_.clear();
  if (prefix != DataPrefix::kNone) out_.append(prefix == DataPrefix::kSpaced ? "data: " : "data:");
}

void EventWriter::Send(EventSink& sink) {
  out_.append(Separator(ctx_));
  sink.Event(out_);
}

void EventWriter::SendWith(std::string_view trailer, EventSink& sink) {
  out_.append(trailer);
  Send(sink);
}

void SendDone(const ReplyContext& ctx, EventSink& sink, DataPrefix prefix) {
  SendData(ctx, "[DONE]", sink, prefix);
}

void SendData(const ReplyContext& ctx, std::string_view json, EventSink& sink, DataPrefix prefix) {
  EventWriter w(ctx, prefix);
  w.out().append(json);
  w.Send(sink);
}

std::string_view FinishName(Finish finish) {
  switch (finish) {
    case Finish::kLength:
      return "length";
    case Finish::kStop:
      return "stop";
    case Finish::kNone:
      break;
  }
  return "";
}

void OpenEnvelope(JsonOut& j, const ReplyContext& ctx, std::string_view object) {
  // The envelope is the same for every event of a reply: render it once per thread and reply,
  // and compare contents (not addresses: the caller's buffers are reused between requests).
  struct Cached {
    std::string id, object, model, bytes;
    int64_t created = -1;
    bool spaced = false, ascii = false;
  };
  thread_local Cached cache;
  const JsonStyle style = j.style();
  if (cache.created != ctx.created || cache.spaced != style.spaced || cache.ascii != style.ascii ||
      cache.id != ctx.id || cache.object != object || cache.model != ctx.model) {
    cache.id = ctx.id;
    cache.object = object;
    cache.model = ctx.model;
    cache.created = ctx.created;
    cache.spaced = style.spaced;
    cache.ascii = style.ascii;
    cache.bytes.clear();
    JsonOut e(cache.bytes, style);
    e.Open().Str("id", ctx.id).Str("object", object).Int("created", ctx.created);
    e.Str("model", ctx.model);
  }
  j.ContinueObject(cache.bytes);
}

void OpenFirstChoice(JsonOut& j, const ReplyContext& ctx, std::string_view object) {
  OpenEnvelope(j, ctx, object);
  j.Key("choices").OpenArray().Open().Int("index", 0);
}

void EndWithUsage(const ReplyContext& ctx, std::string_view object, int completion,
                  UsageShape shape, EventSink& sink) {
  if (ctx.include_usage) SendUsageEvent(ctx, object, completion, shape, sink);
  SendDone(ctx, sink);
}

void AppendUsage(JsonOut& j, const ReplyContext& ctx, int completion, UsageShape shape) {
  j.Key("usage").Open().Int("prompt_tokens", ctx.prompt_tokens);
  if (shape.total_second) {
    j.Int("total_tokens", ctx.prompt_tokens + completion).Int("completion_tokens", completion);
  } else {
    j.Int("completion_tokens", completion).Int("total_tokens", ctx.prompt_tokens + completion);
  }
  if (shape.null_prompt_details) j.Null("prompt_tokens_details");
  if (shape.reasoning_tokens) j.Int("reasoning_tokens", 0);
  if (shape.completion_details) {
    j.Key("completion_tokens_details").Open().Int("reasoning_tokens", 0).Close();
  }
  j.Close();
}

void SendUsageEvent(const ReplyContext& ctx, std::string_view object, int completion,
                    UsageShape shape, EventSink& sink) {
  EventWriter w(ctx);
  JsonOut j(w.out(), kCompact);
  OpenEnvelope(j, ctx, object);
  j.Key("choices").OpenArray().CloseArray();
  AppendUsage(j, ctx, completion, shape);
  j.Close();
  w.Send(sink);
}

void DialectBase::AppendHead(const ReplyContext& ctx, bool chunked, size_t content_length,
                             std::string& out) const {
  HeadSpec spec;
  spec.chunked = chunked;
  spec.content_length = content_length;
  spec.content_type = chunked ? stream_type_ : kJson;
  AppendHttpHead(head_, ctx, spec, out);
}

void DialectBase::AppendErrorHead(const ReplyContext& ctx, const ErrorReply& reply,
                                  std::string& out) const {
  AppendHttpHead(head_, ctx, ErrorHeadSpec(reply), out);
}

void DialectBase::Ping(const ReplyContext& ctx, EventSink& sink) const {
  // sse-starlette: ": ping - <datetime.utcnow()>", e.g. 2025-01-01 00:00:00.000000.
  int64_t us = WallTimeMicros(ctx);
  time_t seconds = static_cast<time_t>(us / 1'000'000);
  tm t;
  gmtime_r(&seconds, &t);
  std::string& out = ThreadEventBuffer();
  out.clear();
  out.append(": ping - ");
  AppendInt(t.tm_year + 1900, out);
  out.push_back('-');
  AppendTwoDigits(t.tm_mon + 1, out);
  out.push_back('-');
  AppendTwoDigits(t.tm_mday, out);
  out.push_back(' ');
  AppendTwoDigits(t.tm_hour, out);
  out.push_back(':');
  AppendTwoDigits(t.tm_min, out);
  out.push_back(':');
  AppendTwoDigits(t.tm_sec, out);
  out.push_back('.');
  int micros = static_cast<int>(us % 1'000'000);
  for (int div = 100'000; div > 0; div /= 10)
    out.push_back(static_cast<char>('0' + micros / div % 10));
  out.append(Separator(ctx));
  sink.Event(out);
}

int PlainStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kModelNotFound:
      return 404;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kServerError:
      return 500;
    case ErrorKind::kBadRequest:
    case ErrorKind::kContextLength:
    case ErrorKind::kMissingModel:
    case ErrorKind::kStreamOptions:
    case ErrorKind::kContentType:
      break;
  }
  return 400;
}

std::string_view PythonErrorType(int status) {
  switch (status) {
    case 404:
      return "NotFoundError";
    case 429:
      return "TooManyRequestsError";
    case 500:
      return "InternalServerError";
    default:
      return "BadRequestError";
  }
}

ErrorReply JsonError(int status, std::string body) {
  ErrorReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

ErrorReply UnauthorizedError() {
  return JsonError(401, R"({"error":"Unauthorized"})");
}

std::string FlatStringError(std::string_view message) {
  std::string body;
  JsonOut(body, kCompact).Open().Str("error", message).Close();
  return body;
}

// Defaults of the optional Dialect methods (declared in wire.h).
void Dialect::AppendErrorHead(const ReplyContext& ctx, const ErrorReply& reply,
                              std::string& out) const {
  AppendHttpHead(HeadStyle::kUvicorn, ctx, ErrorHeadSpec(reply), out);
}

bool Dialect::ErrorInStream(const ReplyContext&, ErrorKind) const {
  return false;
}

void Dialect::StreamErrorOfKind(const ReplyContext& ctx, ErrorKind, std::string_view message,
                                EventSink& sink) const {
  StreamError(ctx, message, sink);
}

}  // namespace servebench::sim
