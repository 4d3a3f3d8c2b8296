#include "report/request_log.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "report/json_writer.h"

namespace servebench::report {

namespace {

using metrics::RequestRecord;

void OptionalInt(JsonWriter& w, std::string_view key, std::optional<int64_t> value) {
  w.Key(key).Int(value);
}

void OptionalText(JsonWriter& w, std::string_view key, std::string_view text) {
  w.Key(key);
  text.empty() ? w.Null() : w.String(text);
}

}  // namespace

std::string RenderRequestLogLine(const RequestRecord& r, const RequestLogContext& context) {
  JsonWriter w;
  w.BeginObject();
  w.Key("phase").String(context.phase);
  w.Key("request_rate");
  std::isinf(context.request_rate) ? w.String("inf") : w.Double(context.request_rate);
  w.Key("index").Int(r.index);
  OptionalInt(w, "session", r.session);
  OptionalInt(w, "round", r.round);
  w.Key("request_id").String(r.request_id);
  w.Key("scheduled_time").Int(r.scheduled_time);
  w.Key("admit_time").Int(r.admit_time);
  w.Key("slot_wait").Int(r.slot_wait());
  w.Key("send_time").Int(r.send_time);
  w.Key("send_lag").Int(r.send_lag());
  OptionalInt(w, "connect_start", r.connect_start);
  OptionalInt(w, "connect_done", r.connect_done);
  w.Key("connection_reused").Bool(r.connection_reused);
  w.Key("retried").Bool(r.retried);
  OptionalInt(w, "request_written", r.request_written);
  OptionalInt(w, "headers_time", r.headers_time);
  OptionalInt(w, "first_byte_time", r.first_byte_time);
  w.Key("event_times").BeginArray();
  for (int64_t t : r.event_times)
    w.Int(t);
  w.EndArray();
  w.Key("event_tokens").BeginArray();
  for (int32_t tokens : r.event_tokens)
    tokens == metrics::kUnknownTokens ? w.Null() : w.Int(tokens);
  w.EndArray();
  if (context.kernel_timestamps) {
    // The user-space read stamp of event k is event_times[k] + event_socket_waits[k].
    w.Key("event_socket_waits").BeginArray();
    for (int32_t wait : r.event_socket_waits_ns)
      w.Int(wait);
    w.EndArray();
  }
  w.Key("event_token_source").String(metrics::EventTokenSourceName(r.event_token_source));
  OptionalInt(w, "first_token_time", r.first_token_time());
  OptionalInt(w, "last_token_time", r.last_token_time());
  OptionalInt(w, "done_time", r.done_time);
  OptionalInt(w, "end_time", r.end_time);
  w.Key("status").String(metrics::StatusName(r.status));
  w.Key("http_status");
  r.http_status == 0 ? w.Null() : w.Int(r.http_status);
  OptionalText(w, "error", r.error);
  OptionalText(w, "finish_reason", r.finish_reason);
  w.Key("prompt_tokens_dataset").Int(r.prompt_tokens_dataset);
  OptionalInt(w, "prompt_tokens_server", r.prompt_tokens_server);
  w.Key("output_tokens_requested").Int(r.output_tokens_requested);
  OptionalInt(w, "output_tokens_server", r.output_tokens_server);
  OptionalInt(w, "output_tokens_retokenized", r.output_tokens_retokenized);
  w.Key("token_events").Int(static_cast<int64_t>(r.token_events()));
  w.Key("bytes_sent").Int(r.bytes_sent);
  w.Key("bytes_received").Int(r.bytes_received);
  w.Key("lora");
  if (r.lora >= 0 && static_cast<size_t>(r.lora) < context.lora_names.size()) {
    w.String(context.lora_names[static_cast<size_t>(r.lora)]);
  } else {
    w.Null();
  }
  OptionalText(w, "routing_key", r.routing_key);
  OptionalInt(w, "cancel_after_events", r.cancel_after_events);
  w.Key("unterminated").Bool(r.unterminated);
  w.EndObject();
  return w.str();
}

Expected<RequestLog> RequestLog::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return MakeError("--request-log {}: cannot create: {}", path, std::strerror(errno));
  }
  return RequestLog(path, file);
}

RequestLog::RequestLog(RequestLog&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, nullptr)) {}

RequestLog::~RequestLog() {
  if (file_ != nullptr) std::fclose(file_);
}

Status RequestLog::Append(std::span<const RequestRecord> records,
                          const RequestLogContext& context) {
  for (const RequestRecord& record : records) {
    std::string line = RenderRequestLogLine(record, context);
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return MakeError("--request-log {}: cannot write: {}", path_, std::strerror(errno));
    }
  }
  if (std::fflush(file_) != 0) {
    return MakeError("--request-log {}: cannot write: {}", path_, std::strerror(errno));
  }
  return Ok();
}

}  // namespace servebench::report
