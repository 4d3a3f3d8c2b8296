#include "sim/wire/http_head.h"

#include <ctime>

#include "sim/wire/json_writer.h"

namespace servebench::sim {
namespace {

void AppendHeader(std::string_view name, std::string_view value, std::string& out) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void AppendStatusLine(int status, std::string& out) {
  out.append("HTTP/1.1 ");
  AppendInt(status, out);
  out.push_back(' ');
  out.append(StatusReason(status));
  out.append("\r\n");
}

void AppendDateHeader(const ReplyContext& ctx, std::string& out) {
  out.append("date: ");
  AppendHttpDate(WallTimeMicros(ctx) / 1'000'000, out);
  out.append("\r\n");
}

void AppendLength(std::string_view name, size_t length, std::string& out) {
  out.append(name);
  out.append(": ");
  AppendInt(static_cast<int64_t>(length), out);
  out.append("\r\n");
}

bool IsEventStream(std::string_view content_type) {
  return content_type.starts_with("text/event-stream");
}

}  // namespace

int64_t WallTimeMicros(const ReplyContext& ctx) {
  if (ctx.wall_time_us != 0) return ctx.wall_time_us;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

void AppendHttpDate(int64_t unix_seconds, std::string& out) {
  // One formatting per second per thread: heads are written far more often than that.
  thread_local int64_t cached_second = -1;
  thread_local char cached[32];
  thread_local size_t cached_len = 0;
  if (unix_seconds != cached_second) {
    time_t t = static_cast<time_t>(unix_seconds);
    tm parts;
    gmtime_r(&t, &parts);
    cached_len = strftime(cached, sizeof cached, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    cached_second = unix_seconds;
  }
  out.append(cached, cached_len);
}

void AppendHttpHead(HeadStyle style, const ReplyContext& ctx, const HeadSpec& spec,
                    std::string& out) {
  AppendStatusLine(spec.status, out);
  switch (style) {
    case HeadStyle::kUvicorn:
      // uvicorn's own headers first, then Starlette's (content-length before content-type);
      // uvicorn adds transfer-encoding last for a body of unknown length.
      AppendDateHeader(ctx, out);
      AppendHeader("server", "uvicorn", out);
      if (!spec.chunked) AppendLength("content-length", spec.content_length, out);
      AppendHeader("content-type", spec.content_type, out);
      if (spec.chunked && ctx.crlf && IsEventStream(spec.content_type)) {
        // sse-starlette's EventSourceResponse (the crlf style) adds these.
        AppendHeader("cache-control", "no-cache", out);
        AppendHeader("connection", "keep-alive", out);
        AppendHeader("x-accel-buffering", "no", out);
      }
      out.append(spec.extra_headers);
      if (spec.chunked) AppendHeader("transfer-encoding", "chunked", out);
      break;
    case HeadStyle::kHyper:
      AppendHeader("content-type", spec.content_type, out);
      if (IsEventStream(spec.content_type)) {
        AppendHeader("cache-control", "no-cache", out);
        AppendHeader("x-accel-buffering", "no", out);
      }
      out.append(spec.extra_headers);
      if (spec.chunked) {
        AppendHeader("transfer-encoding", "chunked", out);
      } else {
        AppendLength("content-length", spec.content_length, out);
      }
      break;
    case HeadStyle::kTriton:
      AppendHeader("Content-Type", spec.content_type, out);
      out.append(spec.extra_headers);
      if (spec.chunked) {
        AppendHeader("Transfer-Encoding", "chunked", out);
      } else {
        AppendLength("Content-Length", spec.content_length, out);
      }
      break;
    case HeadStyle::kOpenai:
      AppendDateHeader(ctx, out);
      AppendHeader("content-type", spec.content_type, out);
      if (spec.chunked) {
        AppendHeader("transfer-encoding", "chunked", out);
      } else {
        AppendLength("content-length", spec.content_length, out);
      }
      AppendHeader("connection", "keep-alive", out);
      out.append(spec.extra_headers);
      break;
  }
  out.append("\r\n");
}

}  // namespace servebench::sim
