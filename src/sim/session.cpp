#include "sim/session.h"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/clock.h"
#include "common/receive_stamps.h"
#include "sim/control.h"
#include "sim/request.h"
#include "sim/token_text.h"

namespace servebench::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// Replies are written in pieces of about this size, so that an instant reply of many events does
// not build one huge buffer and the client starts parsing early.
constexpr size_t kWriteBatchBytes = 256 * 1024;

// RFC 7231 date, recomputed at most once per second per thread.
std::string_view HttpDate() {
  thread_local time_t cached_second = 0;
  thread_local char text[64];
  time_t now = std::time(nullptr);
  if (now != cached_second) {
    tm utc;
    gmtime_r(&now, &utc);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached_second = now;
  }
  return text;
}

std::string PlainResponse(int status, std::string_view content_type, std::string_view body,
                          bool close) {
  return fmt::format(
      "HTTP/1.1 {} {}\r\ndate: {}\r\nserver: uvicorn\r\ncontent-length: {}\r\n"
      "content-type: {}\r\n{}\r\n{}",
      status, StatusReason(status), HttpDate(), body.size(), content_type,
      close ? "connection: close\r\n" : "", body);
}

bool IsDoneEvent(std::string_view bytes) {
  return bytes.starts_with("data: [DONE]") || bytes.starts_with("data:[DONE]");
}

// Frames each event as one HTTP chunk, as uvicorn and hyper do, and remembers how many events the
// reply has written so far (for the trace).
class ChunkSink final : public EventSink {
 public:
  ChunkSink(std::string& out, bool upper_hex) : out_(out), upper_hex_(upper_hex) {}

  void Event(std::string_view bytes) override {
    if (drop_done && IsDoneEvent(bytes)) return;
    ++events;
    if (!truncate_next) {
      AppendChunk(bytes, upper_hex_, out_);
      return;
    }
    // Announce the whole chunk, then deliver only half of it: the connection closes inside it.
    AppendChunk(bytes, upper_hex_, out_);
    out_.resize(out_.size() - 2 - (bytes.size() - bytes.size() / 2));
    truncate_next = false;
    truncated = true;
  }

  int events = 0;
  bool drop_done = false;      // fault missing-done
  bool truncate_next = false;  // fault truncated-chunk
  bool truncated = false;

 private:
  std::string& out_;
  bool upper_hex_;
};

Route RouteForPath(std::string_view path, Family family, bool* found) {
  *found = true;
  if (path == "/v1/completions") return Route::kCompletions;
  if (path == "/v1/chat/completions") return Route::kChat;
  if (path == "/generate")
    return family == Family::kTgi ? Route::kTgiGenerate : Route::kSglangGenerate;
  if (path == "/generate_stream") return Route::kTgiGenerateStream;
  if (path == "/v2/models/ensemble/generate_stream") return Route::kTritonGenerateStream;
  if (path == "/v2/models/ensemble/generate") return Route::kTritonGenerate;
  if (path == "/v1/models/model:predict") return Route::kTruss;
  *found = false;
  return Route::kCompletions;
}

void ResetConnection(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

// What every reply of a request shares, whether it succeeds or fails: the dialect's framing
// options, the served model, the id and the creation time.
ReplyContext BaseContext(Family family, Route route, const SimOptions& o, std::string_view id) {
  ReplyContext ctx;
  ctx.family = family;
  ctx.route = route;
  ctx.crlf = o.crlf;
  ctx.trt_accumulate = o.trt_accumulate;
  ctx.model = o.model_name;
  ctx.id = id;
  ctx.created = static_cast<int64_t>(std::time(nullptr));
  return ctx;
}

// Tokens reach a reply from one of three sources: all at once (--instant), on a fixed schedule
// (--pace), or from the engine's steps. Engine deliveries arrive on the engine thread and are
// posted to the connection's executor, where this state lives.
struct EngineFeed {
  int available = 0;
  asio::steady_timer* waiter = nullptr;  // the reply's timer while it waits; null otherwise
};

class ReplyWriter {
 public:
  ReplyWriter(tcp::socket& socket, ServerState& state, TraceRecord& trace)
      : socket_(socket), state_(state), trace_(trace), timer_(socket.get_executor()) {}

  ~ReplyWriter() {
    if (feed_) feed_->waiter = nullptr;
    if (engine_request_) engine_request_->cancelled.store(true, std::memory_order_relaxed);
  }

  // Returns false when the connection must be closed afterwards.
  asio::awaitable<bool> Generate(const GenerationRequest& request, Family family,
                                 int64_t received_ns);

 private:
  void StartTokens(const GenerationRequest& request, int target, int64_t received_ns);
  // Waits until more tokens exist or `idle_deadline_ns` passes; returns the tokens produced so far.
  asio::awaitable<int> WaitForTokens(int produced, int64_t idle_deadline_ns);
  asio::awaitable<bool> Write(std::string_view bytes);
  asio::awaitable<void> Sleep(int64_t nanos);
  void Roll(const SimOptions& options, uint64_t seq);
  bool Has(FaultKind kind) const { return (active_faults_ >> static_cast<int>(kind)) & 1; }
  void AppendTokens(int count);

  tcp::socket& socket_;
  ServerState& state_;
  TraceRecord& trace_;
  asio::steady_timer timer_;
  uint32_t active_faults_ = 0;

  // Token source.
  enum class Source { kInstant, kPace, kEngine } source_ = Source::kInstant;
  int target_ = 0;
  int64_t first_due_ns_ = 0;
  int64_t interval_ns_ = 0;
  std::shared_ptr<EngineFeed> feed_;
  std::shared_ptr<Engine::Request> engine_request_;

  // Generated so far.
  SimRandom random_{0};
  std::string text_;
  std::vector<int> ids_;
  std::string out_;  // bytes of the next write
};

void ReplyWriter::Roll(const SimOptions& options, uint64_t seq) {
  SimRandom fault_random(options.seed ^ (seq * 0xD1B54A32D192ED03ull) ^ 0xFA17);
  for (const Fault& f : options.faults) {
    if (f.kind == FaultKind::kRefuse) continue;  // decided per connection, at accept
    if (fault_random.NextDouble() < f.probability) {
      active_faults_ |= 1u << static_cast<int>(f.kind);
      trace_.faults.push_back(FaultName(f.kind));
    }
  }
}

void ReplyWriter::StartTokens(const GenerationRequest& request, int target, int64_t received_ns) {
  const SimOptions& o = state_.options;
  target_ = target;
  if (o.instant) {
    source_ = Source::kInstant;
  } else if (o.pace_ttft_ms) {
    source_ = Source::kPace;
    first_due_ns_ = received_ns + static_cast<int64_t>(*o.pace_ttft_ms * 1e6);
    interval_ns_ = static_cast<int64_t>(o.pace_itl_ms * 1e6);
  } else {
    source_ = Source::kEngine;
    feed_ = std::make_shared<EngineFeed>();
    engine_request_ = std::make_shared<Engine::Request>();
    engine_request_->prompt_tokens = std::max(1, request.prompt_tokens);
    engine_request_->output_tokens = target;
    auto executor = socket_.get_executor();
    engine_request_->on_token = [executor, feed = feed_](int64_t, bool) {
      asio::post(executor, [feed] {
        ++feed->available;
        if (feed->waiter != nullptr) feed->waiter->cancel();
      });
    };
    state_.engine->Submit(engine_request_);
  }
}

asio::awaitable<int> ReplyWriter::WaitForTokens(int produced, int64_t idle_deadline_ns) {
  using Clock = std::chrono::steady_clock;
  auto at = [](int64_t ns) { return Clock::time_point(std::chrono::nanoseconds(ns)); };
  switch (source_) {
    case Source::kInstant:
      co_return target_;
    case Source::kPace: {
      int64_t due = first_due_ns_ + static_cast<int64_t>(produced) * interval_ns_;
      int64_t now = MonotonicNanos();
      if (due > now) {
        timer_.expires_at(at(std::min(due, idle_deadline_ns)));
        co_await timer_.async_wait(kAwait);
        now = MonotonicNanos();
      }
      if (now < first_due_ns_) co_return 0;
      // Every token whose time has come (several when the connection fell behind).
      int64_t ready = interval_ns_ > 0 ? (now - first_due_ns_) / interval_ns_ + 1 : target_;
      co_return static_cast<int>(std::min<int64_t>(ready, target_));
    }
    case Source::kEngine: {
      if (feed_->available == produced) {
        timer_.expires_at(idle_deadline_ns == INT64_MAX ? Clock::time_point::max()
                                                        : at(idle_deadline_ns));
        feed_->waiter = &timer_;
        co_await timer_.async_wait(kAwait);
        feed_->waiter = nullptr;
      }
      co_return feed_->available;
    }
  }
  co_return target_;
}

asio::awaitable<bool> ReplyWriter::Write(std::string_view bytes) {
  int64_t now_us = MonotonicMicros();
  if (trace_.head_us < 0) trace_.head_us = now_us;
  for (size_t i = trace_.event_us.size(); i < trace_.event_tokens.size(); ++i) {
    trace_.event_us.push_back(now_us);
  }
  trace_.last_byte_us = now_us;
  auto [ec, n] =
      co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), kAwait);
  if (ec) {
    trace_.outcome = "client_closed";
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> ReplyWriter::Sleep(int64_t nanos) {
  timer_.expires_after(std::chrono::nanoseconds(nanos));
  co_await timer_.async_wait(kAwait);
}

void ReplyWriter::AppendTokens(int count) {
  for (int i = 0; i < count; ++i) {
    SimToken token = NextToken(random_);
    text_.append(token.text);
    ids_.push_back(token.id);
  }
}

asio::awaitable<bool> ReplyWriter::Generate(const GenerationRequest& request, Family family,
                                            int64_t received_ns) {
  const SimOptions& o = state_.options;
  const uint64_t seq = trace_.seq;
  Roll(o, seq);
  random_ = SimRandom(o.seed * 0x9E3779B97F4A7C15ull + seq);

  if (Has(FaultKind::kResetBeforeHeaders)) {
    trace_.outcome = "reset";
    ResetConnection(socket_);
    co_return false;
  }
  const Dialect& dialect = DialectFor(family, request.route);
  std::string id = MakeResponseId(family, request.route, seq);
  ReplyContext ctx = BaseContext(family, request.route, o, id);
  ctx.stream = request.stream;
  ctx.include_usage = request.include_usage;
  ctx.continuous_usage = request.continuous_usage;
  if (!request.model.empty()) ctx.model = request.model;
  ctx.prompt_tokens = request.prompt_tokens;
  ctx.cached_tokens = std::min(o.cached_tokens, request.prompt_tokens);
  ctx.cached_tokens_details = request.return_cached_tokens_details;
  ctx.max_tokens = request.max_tokens;

  if (Has(FaultKind::kSlowHeaders)) co_await Sleep(int64_t{o.slow_headers_ms} * 1'000'000);
  for (auto [kind, error] : {std::pair{FaultKind::kHttp4xx, ErrorKind::kBadRequest},
                             std::pair{FaultKind::kHttp429, ErrorKind::kRateLimited},
                             std::pair{FaultKind::kHttp5xx, ErrorKind::kServerError}}) {
    if (!Has(kind)) continue;
    ErrorReply reply =
        dialect.Error(ctx, error, fmt::format("serve-sim fault {}", FaultName(kind)));
    trace_.status = reply.status;
    trace_.outcome = "error";
    dialect.AppendErrorHead(ctx, reply, out_);
    out_.append(reply.body);
    co_return co_await Write(out_);
  }

  // Output length: exactly the limit with ignore_eos, else a geometric draw (an EOS token ends
  // generation with constant probability per step) capped by the limit.
  int target = request.max_tokens;
  Finish finish = Finish::kLength;
  if (!request.ignore_eos) {
    double mean = std::max(1, o.eos_mean_tokens);
    double u = std::max(random_.NextDouble(), 1e-12);
    int64_t drawn = mean <= 1 ? 1 : 1 + static_cast<int64_t>(std::log(u) / std::log1p(-1 / mean));
    if (drawn < target) {
      target = static_cast<int>(drawn);
      finish = Finish::kStop;
    }
  }
  state_.prompt_tokens_total.fetch_add(request.prompt_tokens, std::memory_order_relaxed);
  StartTokens(request, target, received_ns);
  text_.reserve(static_cast<size_t>(target) * 6);
  ids_.reserve(static_cast<size_t>(target));

  // TGI's native stream carries exactly one token per event, whatever the flag says.
  const int per_event =
      request.route == Route::kTgiGenerateStream ? 1 : std::max(1, o.tokens_per_event);
  const int fault_token = std::max(1, target / 2);  // where mid-stream faults strike
  std::string& out = out_;

  if (!request.stream) {
    int produced = 0;
    while (produced < target)
      produced = co_await WaitForTokens(produced, INT64_MAX);
    AppendTokens(target);
    if (Has(FaultKind::kInvalidUtf8)) text_.append(" \xff\xfe");
    Progress final_progress{text_, ids_, text_, target, finish};
    final_progress.elapsed_s = static_cast<double>(MonotonicNanos() - received_ns) * 1e-9;
    std::string body = Has(FaultKind::kMalformedEvent) ? std::string("{\"text\": \"malformed")
                                                       : dialect.FullBody(ctx, final_progress);
    if (Has(FaultKind::kStall)) co_await Sleep(int64_t{o.stall_ms} * 1'000'000);
    dialect.AppendHead(ctx, false, body.size(), out);
    size_t head_size = out.size();
    out.append(body);
    trace_.status = 200;
    trace_.output_tokens = target;
    trace_.event_tokens.push_back(target);
    state_.generation_tokens_total.fetch_add(target, std::memory_order_relaxed);
    if (Has(FaultKind::kResetMidStream) || Has(FaultKind::kTruncatedChunk)) {
      out.resize(head_size + body.size() / 2);
      co_await Write(out);
      trace_.outcome = Has(FaultKind::kResetMidStream) ? "reset" : "truncated";
      ResetConnection(socket_);
      co_return false;
    }
    co_return co_await Write(out);
  }

  ChunkSink sink(out, dialect.UpperHexChunks());
  sink.drop_done = Has(FaultKind::kMissingDone);
  dialect.AppendHead(ctx, true, 0, out);
  trace_.status = 200;
  dialect.StreamStart(ctx, sink);
  trace_.event_tokens.resize(sink.events, 0);
  if (!co_await Write(out)) co_return false;

  const bool tgi = family == Family::kTgi || request.route == Route::kTgiGenerateStream;
  const int idle_ms = o.ping_ms > 0 ? o.ping_ms : (tgi ? o.keepalive_ms : 0);
  int produced = 0;
  int emitted = 0;
  bool malformed_sent = false;
  bool stall_pending = Has(FaultKind::kStall);
  bool mid_fault_done = false;
  while (emitted < target) {
    // Tokens go out in groups of --tokens-per-event; the last group may be smaller.
    if (produced - emitted < per_event && produced < target) {
      int64_t idle_deadline =
          idle_ms > 0 ? MonotonicNanos() + int64_t{idle_ms} * 1'000'000 : INT64_MAX;
      int now_produced = co_await WaitForTokens(produced, idle_deadline);
      if (now_produced == produced) {
        if (idle_ms > 0 && MonotonicNanos() >= idle_deadline) {
          out.clear();
          dialect.Ping(ctx, sink);
          trace_.event_tokens.resize(sink.events, 0);
          if (!co_await Write(out)) co_return false;
        }
      }
      produced = now_produced;
      continue;
    }
    out.clear();
    const int emitted_before = emitted;
    bool reset_now = false;
    bool stall_now = false;
    while (emitted < produced && (produced - emitted >= per_event || produced == target)) {
      int n = std::min(per_event, produced - emitted);
      if (o.empty_events > 0 && emitted > 0 && random_.NextDouble() < o.empty_events) {
        Progress empty{{}, {}, text_, emitted, Finish::kNone};
        dialect.StreamTokens(ctx, empty, sink);
        trace_.event_tokens.resize(sink.events, 0);
      }
      size_t text_start = text_.size();
      size_t ids_start = ids_.size();
      AppendTokens(n);
      emitted += n;
      std::string_view new_text(text_.data() + text_start, text_.size() - text_start);
      const bool strikes = !mid_fault_done && emitted >= fault_token;
      if (strikes) {
        mid_fault_done = true;
        if (Has(FaultKind::kInvalidUtf8)) {
          text_.append(" \xff\xfe");
          new_text = std::string_view(text_.data() + text_start, text_.size() - text_start);
        }
        if (Has(FaultKind::kOversizedEvent)) {
          // Part of the generated text, so that cumulative formats (SGLang native, Triton
          // accumulate) carry it too.
          text_.append(" ");
          text_.append(o.oversized_bytes, 'x');
          new_text = std::string_view(text_.data() + text_start, text_.size() - text_start);
        }
        sink.truncate_next = Has(FaultKind::kTruncatedChunk);
        reset_now = Has(FaultKind::kResetMidStream);
      }
      Progress progress{new_text,
                        std::span<const int>(ids_.data() + ids_start, ids_.size() - ids_start),
                        text_, emitted, emitted == target ? finish : Finish::kNone};
      if (progress.finish != Finish::kNone) {  // SGLang's e2e_latency, on the last event only
        progress.elapsed_s = static_cast<double>(MonotonicNanos() - received_ns) * 1e-9;
      }
      int before = sink.events;
      dialect.StreamTokens(ctx, progress, sink);
      trace_.event_tokens.resize(sink.events, 0);
      if (sink.events > before) trace_.event_tokens[before] = n;
      if (Has(FaultKind::kMalformedEvent) && !malformed_sent) {
        sink.Event(o.crlf ? "data: {\"text\": \"malformed\r\n\r\n"
                          : "data: {\"text\": \"malformed\n\n");
        trace_.event_tokens.resize(sink.events, 0);
        malformed_sent = true;
      }
      stall_now = stall_pending;
      if (sink.truncated || reset_now || stall_now) break;
      if (out.size() >= kWriteBatchBytes && emitted < target) {
        if (!co_await Write(out)) co_return false;
        out.clear();
      }
    }
    trace_.output_tokens = emitted;
    state_.generation_tokens_total.fetch_add(emitted - emitted_before, std::memory_order_relaxed);
    if (sink.truncated || reset_now) {
      // The connection dies after these bytes: inside a chunk, or right after an event.
      co_await Write(out);
      trace_.outcome = sink.truncated ? "truncated" : "reset";
      ResetConnection(socket_);
      co_return false;
    }
    if (emitted == target) break;  // the end events go out with the last token
    if (!co_await Write(out)) co_return false;
    if (stall_now) {
      stall_pending = false;
      co_await Sleep(int64_t{o.stall_ms} * 1'000'000);
    }
  }
  if (stall_pending) {
    // The stall strikes after the first token event, here the last one: before the end events.
    if (!co_await Write(out)) co_return false;
    out.clear();
    co_await Sleep(int64_t{o.stall_ms} * 1'000'000);
  }
  Progress final_progress{{}, {}, text_, emitted, finish};
  dialect.StreamEnd(ctx, final_progress, sink);
  trace_.event_tokens.resize(sink.events, 0);
  if (Has(FaultKind::kNoTerminator)) {
    if (!co_await Write(out)) co_return false;
    trace_.outcome = "unterminated";
    co_await Sleep(int64_t{o.done_hold_ms} * 1'000'000);
    co_return false;
  }
  out.append(kLastChunk);
  co_return co_await Write(out);
}

// The kernel's arrival time of request bytes (common/receive_stamps.h), one peek buffer per
// server thread: a request is "received" when its last byte reached the host, not when this
// thread got to it, so serve-sim's own scheduling delays are inside the TTFT it paces and
// traces, as a real server's queueing would be.
constexpr size_t kArrivalPeekBytes = 64 * 1024;

KernelReceiveClock& ThreadArrivalClock() {
  thread_local KernelReceiveClock clock(kArrivalPeekBytes);
  return clock;
}

class Connection {
 public:
  Connection(tcp::socket socket, ServerState& state)
      : socket_(std::move(socket)),
        state_(state),
        kernel_stamps_(EnableKernelTimestamps(socket_.native_handle())) {}
  asio::awaitable<void> Run();

 private:
  // Waits until request bytes are pending and returns the kernel's arrival time of the last
  // segment of what is pending then (nullopt without kernel stamps), with `*pending_bytes`.
  // False when the connection closed first.
  asio::awaitable<bool> AwaitRequestBytes(std::optional<int64_t>* arrival, size_t* pending_bytes);

  // Returns false when the connection must close.
  asio::awaitable<bool> Serve(http::request_parser<http::string_body>& parser, int64_t received_ns);
  asio::awaitable<bool> Send(std::string bytes) {
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(bytes), kAwait);
    co_return !ec;
  }

  // Closing with unread request bytes makes the kernel send a reset that can destroy the reply
  // before the client reads it: stop sending, then discard input for a while (as nginx does).
  asio::awaitable<void> LingeringClose() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    asio::steady_timer deadline(socket_.get_executor(), std::chrono::seconds(2));
    deadline.async_wait([this](boost::system::error_code ec) {
      if (!ec) socket_.cancel();
    });
    char sink[16384];
    for (;;) {
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), kAwait);
      if (ec) break;
    }
    deadline.cancel();
  }

  tcp::socket socket_;
  ServerState& state_;
  beast::flat_buffer buffer_;
  const bool kernel_stamps_;
};

asio::awaitable<bool> Connection::AwaitRequestBytes(std::optional<int64_t>* arrival,
                                                    size_t* pending_bytes) {
  *arrival = std::nullopt;
  *pending_bytes = 0;
  // Bytes already buffered (a pipelined request) arrived at an unknown earlier time.
  if (!kernel_stamps_ || buffer_.size() > 0) co_return true;
  char probe;
  auto [ec, n] = co_await socket_.async_receive(asio::buffer(&probe, 1),
                                                asio::socket_base::message_peek, kAwait);
  if (ec) co_return false;
  int64_t now = 0;
  *arrival = ThreadArrivalClock().PendingArrival(socket_.native_handle(), &now, pending_bytes);
  co_return true;
}

asio::awaitable<void> Connection::Run() {
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(state_.options.max_body_bytes);
    std::optional<int64_t> arrival;
    size_t pending_bytes = 0;
    if (!co_await AwaitRequestBytes(&arrival, &pending_bytes)) co_return;
    auto [ec, n] = co_await http::async_read_header(socket_, buffer_, parser, kAwait);
    size_t request_bytes = n;
    if (!ec) {
      auto expect = parser.get().find(http::field::expect);
      if (expect != parser.get().end() && beast::iequals(expect->value(), "100-continue")) {
        if (!co_await Send("HTTP/1.1 100 Continue\r\n\r\n")) co_return;
      }
      std::tie(ec, n) = co_await http::async_read(socket_, buffer_, parser, kAwait);
      request_bytes += n;
    }
    // Beast reports an oversized Content-Length with the header, a chunked body as it grows.
    if (ec == http::error::body_limit) {
      co_await Send(PlainResponse(
          413, "application/json",
          fmt::format(R"j({{"error":"request body larger than --max-body-bytes ({} bytes)"}})j",
                      state_.options.max_body_bytes),
          true));
      co_await LingeringClose();
      co_return;
    }
    if (ec) co_return;
    bool keep_alive = parser.get().keep_alive();
    // The arrival stamp counts only when the whole request was pending at the peek; a request
    // that came in several pieces was received when it was parsed.
    const int64_t received_ns =
        arrival && request_bytes <= pending_bytes ? *arrival : MonotonicNanos();
    if (!co_await Serve(parser, received_ns) || !keep_alive) {
      boost::system::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

asio::awaitable<bool> Connection::Serve(http::request_parser<http::string_body>& parser,
                                        int64_t received_ns) {
  const SimOptions& o = state_.options;
  auto& req = parser.get();
  std::string_view target(req.target().data(), req.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  std::string_view method(req.method_string().data(), req.method_string().size());

  Family family = o.family;
  if (auto it = req.find("X-Serve-Sim-Family"); it != req.end()) {
    std::string_view name(it->value().data(), it->value().size());
    if (!ParseFamily(name, &family)) {
      co_return co_await Send(PlainResponse(
          400, "application/json",
          fmt::format(R"({{"error":"X-Serve-Sim-Family: unknown family '{}'"}})", name), false));
    }
  }
  if (std::ranges::find(o.hidden_routes, path) != o.hidden_routes.end()) {
    co_return co_await Send(
        PlainResponse(404, "application/json", R"({"detail":"Not Found"})", false));
  }
  if (auto reply = HandleControl(method, path, family, state_)) {
    co_return co_await Send(PlainResponse(reply->status, reply->content_type, reply->body, false));
  }
  bool found = false;
  Route route = RouteForPath(path, family, &found);
  if (!found) {
    co_return co_await Send(
        PlainResponse(404, "application/json", R"({"detail":"Not Found"})", false));
  }
  if (method != "POST") {
    co_return co_await Send(
        PlainResponse(405, "application/json", R"({"detail":"Method Not Allowed"})", false));
  }

  TraceRecord trace;
  trace.seq = state_.next_seq.fetch_add(1, std::memory_order_relaxed);
  if (auto it = req.find("X-Request-Id"); it != req.end()) trace.request_id = it->value();
  trace.path = path;
  trace.family = FamilyName(family);
  trace.received_us = received_ns / 1000;
  state_.requests_total.fetch_add(1, std::memory_order_relaxed);
  state_.active_requests.fetch_add(1, std::memory_order_relaxed);
  struct ActiveGuard {
    std::atomic<int>& active;
    ~ActiveGuard() { active.fetch_sub(1, std::memory_order_relaxed); }
  } guard{state_.active_requests};

  const Dialect& dialect = DialectFor(family, route);
  bool keep = true;
  auto reply_error = [&](ReplyContext& ctx, ErrorKind kind, std::string_view message) {
    ErrorReply reply = dialect.Error(ctx, kind, message);
    trace.status = reply.status;
    trace.outcome = "error";
    std::string out;
    dialect.AppendErrorHead(ctx, reply, out);
    out.append(reply.body);
    return out;
  };

  std::string error_id = MakeResponseId(family, route, trace.seq);
  ReplyContext error_ctx = BaseContext(family, route, o, error_id);

  if (!o.api_key.empty() && (path.starts_with("/v1/") || path.starts_with("/v2/"))) {
    auto it = req.find(http::field::authorization);
    bool ok = it != req.end() && it->value() == "Bearer " + o.api_key;
    if (!ok) {
      keep = co_await Send(reply_error(error_ctx, ErrorKind::kUnauthorized, "Unauthorized"));
      state_.trace.Write(trace);
      co_return keep;
    }
  }

  auto content_type = req.find(http::field::content_type);
  std::string_view content_type_value =
      content_type == req.end()
          ? std::string_view()
          : std::string_view(content_type->value().data(), content_type->value().size());
  auto parsed = ParseGenerationRequest(route, family, req.body(), content_type_value, o,
                                       state_.tokenizer.get());
  if (!parsed) {
    const RequestError& error = parsed.error();
    trace.stream = error.stream;
    error_ctx.stream = error.stream;
    if (error.stream && dialect.ErrorInStream(error_ctx, error.kind)) {
      // SGLang's streamed /generate and TGI report some failures inside a 200 stream.
      std::string out;
      ChunkSink sink(out, dialect.UpperHexChunks());
      dialect.AppendHead(error_ctx, true, 0, out);
      dialect.StreamErrorOfKind(error_ctx, error.kind, error.message, sink);
      out.append(kLastChunk);
      trace.status = 200;
      trace.outcome = "error";
      trace.event_tokens.resize(sink.events, 0);
      int64_t now_us = MonotonicMicros();
      trace.head_us = trace.last_byte_us = now_us;
      trace.event_us.assign(sink.events, now_us);
      keep = co_await Send(std::move(out));
    } else {
      keep = co_await Send(reply_error(error_ctx, error.kind, error.message));
    }
    state_.trace.Write(trace);
    co_return keep;
  }

  const GenerationRequest& request = *parsed;
  trace.stream = request.stream;
  trace.prompt_tokens = request.prompt_tokens;
  {
    ReplyWriter writer(socket_, state_, trace);
    keep = co_await writer.Generate(request, family, received_ns);
  }
  if (trace.outcome == "complete") {
    state_.requests_succeeded.fetch_add(1, std::memory_order_relaxed);
  }
  state_.trace.Write(trace);
  co_return keep;
}

}  // namespace

asio::awaitable<void> ServeConnection(tcp::socket socket, ServerState& state) {
  Connection connection(std::move(socket), state);
  co_await connection.Run();
}

}  // namespace servebench::sim
