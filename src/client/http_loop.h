// HttpLoop: one event loop of the client, a libcurl multi handle driven by its own epoll.
//
// A loop starts each request (an HttpCall) at its scheduled monotonic time, to the microsecond:
// the schedule is a heap served by an absolute timerfd on a thread whose timer slack is 1 ns.
// Every socket event is stamped with CLOCK_MONOTONIC before libcurl reads from the socket (or,
// with kernel_timestamps, with the kernel's arrival time of the bytes pending there), and every
// body byte that read delivers is handed to the call with that stamp, on the loop's thread, so
// that parsing happens beside the read and never waits on another stream.
//
// Threads: a loop and its calls belong to the thread that runs Run(). Post() and RequestStop()
// may be called from any thread; everything else is for the loop's thread (the calls' callbacks
// included).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "client/transport.h"
#include "common/receive_stamps.h"
#include "common/status.h"

namespace servebench::client {

struct HttpLoopOptions {
  Transport transport;     // --http2, --insecure
  int64_t timeout_ms = 0;  // per-request timeout (--request-timeout); 0 = none
  // --compat sglang|lmdeploy: a new connection per request (their clients' behaviour), so TCP
  // set-up is inside TTFT there too. Otherwise connections are kept alive and reused.
  bool new_connection_per_request = false;
  size_t max_connections = 0;  // pool size; 0 = as many as requests in flight
  // libcurl multi handles (each with its own connection pool) the loop spreads its calls over.
  // libcurl 7.88 walks its whole pool each time a transfer is removed from a multi handle
  // (curl_multi_remove_handle, for connect-only connections), so a pool of n connections costs
  // O(n) per request: 106 µs per request at 6,000 connections, measured. Shards bound n.
  size_t connection_shards = 1;
  // --kernel-timestamps (spec/beyond.md 12): read stamps are the kernel's arrival time of the
  // bytes (common/receive_stamps.h) instead of the time the loop got to the socket.
  bool kernel_timestamps = false;
};

// How a transfer ended.
struct HttpOutcome {
  CURLcode code = CURLE_OK;  // CURLE_OK, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, ...
  long status = 0;           // HTTP status, 0 when none arrived
  int64_t end_ns = 0;        // stamp of the read that completed (or broke) the transfer
  bool reused_connection = false;
  // A new connection's set-up (monotonic ns), from libcurl's timing of the last attempt: 0 when
  // a pooled connection was reused; connect_done_ns is 0 too when the connection never came up.
  int64_t connect_start_ns = 0;
  int64_t connect_done_ns = 0;
  bool retried = false;    // re-sent once on a new connection (idle-close race)
  bool aborted = false;    // ended by the call (OnBody returned false) or by AbortAt()
  bool stopped = false;    // ended by RequestStop()
  std::string_view error;  // libcurl's message, valid during OnEnd
};

class HttpLoop;

// One request and its response. The caller owns it and keeps it alive until OnEnd().
class HttpCall {
 public:
  virtual ~HttpCall() = default;

  // The request. Must stay valid and unchanged from Post() to OnEnd(). `headers` should contain
  // "Expect:" so that libcurl does not wait for 100-continue on large bodies.
  std::string_view url;
  std::string_view request_body;  // POST body; GET when `method_get`
  bool method_get = false;
  curl_slist* headers = nullptr;

  // The request was handed to libcurl at `ns` (monotonic): its actual send time.
  virtual void OnStart(int64_t ns) { (void)ns; }
  // The status line and headers arrived (stamp of the read that completed them).
  virtual void OnHeaders(long status, int64_t ns) {
    (void)status;
    (void)ns;
  }
  // Body bytes (decoded from chunked framing) delivered by the read stamped `read_ns`. Returning
  // false ends the transfer at once (OnEnd follows with `aborted`).
  virtual bool OnBody(std::string_view bytes, int64_t read_ns) = 0;
  // Every OnBody() of the read stamped `read_ns` has returned; `parsed_ns` is one clock reading
  // taken after them, shared by the calls that read in that socket event (beyond.md 3), so
  // there is no clock reading per chunk. `user_read_ns` is when the loop got to the socket:
  // read_ns itself, unless read_ns is a kernel arrival time (then user_read_ns - read_ns is how
  // long the bytes waited for the client).
  virtual void OnReadParsed(int64_t read_ns, int64_t user_read_ns, int64_t parsed_ns) {
    (void)read_ns;
    (void)user_read_ns;
    (void)parsed_ns;
  }
  virtual void OnEnd(const HttpOutcome& outcome) = 0;

 private:
  friend class HttpLoop;
  CURL* easy_ = nullptr;
  HttpLoop* loop_ = nullptr;
  bool in_read_ = false;     // listed in the loop's calls_in_read_
  uint32_t generation_ = 0;  // invalidates stale AbortAt() deadlines
  bool started_ = false;
  size_t running_index_ = 0;
  int64_t transfer_start_ns_ = 0;  // when this attempt was handed to libcurl
  uint32_t shard_ = 0;             // the multi handle that runs the call
  bool got_bytes_ = false;         // any response byte (header or body) arrived
  bool retried_ = false;
  bool abort_ = false;
  long status_ = 0;
  char error_[CURL_ERROR_SIZE] = {};
};

class HttpLoop {
 public:
  explicit HttpLoop(const HttpLoopOptions& options);
  ~HttpLoop();
  HttpLoop(const HttpLoop&) = delete;
  HttpLoop& operator=(const HttpLoop&) = delete;

  // Fails when the kernel refuses an epoll, timerfd or eventfd descriptor.
  Status Init();

  // Starts `call` at monotonic `start_ns` (at once when it has passed). Thread-safe.
  void Post(HttpCall* call, int64_t start_ns);
  // Ends `call` at `ns` if it is still running then (e.g. `[DONE]` arrived but the message does
  // not end: --done-grace-ms). Loop thread only.
  void AbortAt(HttpCall* call, int64_t ns);

  // Serves calls until RequestStop(); calls still running then end with `stopped`.
  void Run();
  // Thread-safe.
  void RequestStop();

  // Calls started and not yet ended (loop thread).
  size_t active() const { return running_.size(); }

 private:
  // One libcurl multi handle, its timer and its connections.
  struct Shard {
    HttpLoop* loop = nullptr;
    uint32_t index = 0;
    CURLM* multi = nullptr;
    int timer_fd = -1;
    bool timeout_now = false;  // libcurl asked for socket_action(TIMEOUT) at once
  };

  struct Timed {
    int64_t ns;
    HttpCall* call;
    uint32_t generation;  // 0: a start; else an abort deadline for this generation
    bool operator>(const Timed& o) const { return ns > o.ns; }
  };

  static int OnSocket(CURL* easy, curl_socket_t fd, int what, void* shard, void* socket_data);
  static int OnTimer(CURLM* multi, long timeout_ms, void* shard);
  static size_t OnWrite(char* data, size_t size, size_t count, void* call);
  static size_t OnHeader(char* data, size_t size, size_t count, void* call);

  void Start(HttpCall* call, int64_t now);
  void Configure(HttpCall* call, bool fresh_connection);
  void RunDue(int64_t now);
  void ArmScheduleTimer();
  Status InitShard(Shard& shard);
  // `read_ns` stamps the bytes this action reads; `now` is when the loop got to the socket.
  void SocketAction(Shard& shard, curl_socket_t fd, int flags, int64_t read_ns, int64_t now);
  // socket_action(TIMEOUT) on the shards that asked for one at once, then a first look at the
  // sockets libcurl began to connect meanwhile.
  void KickTimeouts();
  void CollectDone(Shard& shard, int64_t now);
  // Fills `outcome`'s connect times from the call's handle; returns libcurl's count of new
  // connections of the transfer (0: a pooled one was reused).
  static long ReadConnection(HttpCall* call, HttpOutcome& outcome);
  void End(HttpCall* call, HttpOutcome& outcome);
  void Forget(HttpCall* call);  // removes `call` from running_
  void DrainInbox();

  HttpLoopOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  uint32_t next_shard_ = 0;  // round robin over shards_ for new calls
  int epoll_fd_ = -1;
  int schedule_timer_fd_ = -1;
  int inbox_fd_ = -1;
  int64_t armed_ns_ = -1;
  std::vector<HttpCall*> running_;
  std::vector<HttpCall*> calls_in_read_;  // calls given body bytes by the current socket event
  // Sockets libcurl registered to wait for a connect to complete, as (shard, fd), not yet looked
  // at again: on loopback or a near server the connect is usually done by then, and the request
  // goes out at once instead of after the next batch of socket events.
  std::vector<std::pair<uint32_t, curl_socket_t>> connecting_;
  std::vector<uint64_t> closed_in_batch_;  // epoll tags of sockets closed since epoll_wait
  std::priority_queue<Timed, std::vector<Timed>, std::greater<Timed>> timed_;
  std::vector<CURL*> idle_easies_;
  std::optional<KernelReceiveClock> kernel_clock_;  // with kernel_timestamps
  // With kernel_timestamps: stamping is on before the first request and while the loop lives.
  std::optional<KernelStamping> stamping_;

  std::mutex inbox_mutex_;
  std::vector<Timed> inbox_;  // guarded by inbox_mutex_
  std::atomic<bool> stop_{false};
};

}  // namespace servebench::client
