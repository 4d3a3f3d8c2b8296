#include "client/http_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/clock.h"

namespace servebench::client {
namespace {

// epoll user data: a socket is (shard << 32) | fd; the loop's own descriptors have bit 62 or
// bit 63 set, which no shard index reaches.
constexpr uint64_t kScheduleTimer = ~uint64_t{0};
constexpr uint64_t kInbox = ~uint64_t{0} - 1;
constexpr uint64_t kCurlTimer = uint64_t{1} << 62;  // | shard index

uint64_t SocketTag(uint32_t shard, curl_socket_t fd) {
  return (uint64_t{shard} << 32) | static_cast<uint32_t>(fd);
}

// The stamp of the socket event being processed on this thread: libcurl's callbacks run inside
// curl_multi_socket_action and hand the bytes of that event's read to the calls.
thread_local int64_t tls_read_ns = 0;

// libcurl's read size per transfer (CURLOPT_BUFFERSIZE), and what a kernel-timestamp peek covers.
constexpr size_t kReadBufferBytes = 16 * 1024;

void ArmAbsolute(int timer_fd, int64_t ns) {
  itimerspec spec{};
  if (ns > 0) {
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    spec.it_value.tv_nsec = ns % 1'000'000'000;
  }
  timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void Consume(int fd) {
  uint64_t value;
  while (read(fd, &value, sizeof value) == sizeof value) {
  }
}

// A failure before any response byte on a connection that had served earlier requests: the
// server closed it while idle (uvicorn does after 5 s) as the request went out.
bool IsIdleCloseRace(CURLcode code) {
  return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
}

}  // namespace

HttpLoop::HttpLoop(const HttpLoopOptions& options) : options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

HttpLoop::~HttpLoop() {
  for (CURL* easy : idle_easies_)
    curl_easy_cleanup(easy);
  for (auto& shard : shards_) {
    if (shard->multi != nullptr) curl_multi_cleanup(shard->multi);
    if (shard->timer_fd >= 0) close(shard->timer_fd);
  }
  for (int fd : {epoll_fd_, schedule_timer_fd_, inbox_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status HttpLoop::Init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  schedule_timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  inbox_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || schedule_timer_fd_ < 0 || inbox_fd_ < 0) {
    return MakeError("client event loop: cannot create epoll/timer descriptors: {}",
                     std::strerror(errno));
  }
  for (auto [fd, tag] :
       {std::pair{schedule_timer_fd_, kScheduleTimer}, std::pair{inbox_fd_, kInbox}}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }
  if (options_.kernel_timestamps) {
    auto stamping = KernelStamping::Start();
    if (!stamping) return std::unexpected(stamping.error());
    stamping_.emplace(std::move(*stamping));
    kernel_clock_.emplace(kReadBufferBytes);
  }
  const size_t count = std::max<size_t>(options_.connection_shards, 1);
  for (size_t i = 0; i < count; ++i) {
    shards_.push_back(std::make_unique<Shard>());
    shards_.back()->loop = this;
    shards_.back()->index = static_cast<uint32_t>(i);
    if (Status s = InitShard(*shards_.back()); !s) return s;
  }
  return Ok();
}

Status HttpLoop::InitShard(Shard& shard) {
  shard.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (shard.timer_fd < 0) {
    return MakeError("client event loop: cannot create a timer descriptor: {}",
                     std::strerror(errno));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kCurlTimer | shard.index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, shard.timer_fd, &event);
  shard.multi = curl_multi_init();
  if (shard.multi == nullptr) return MakeError("client event loop: curl_multi_init failed");
  CURLM* multi = shard.multi;
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &HttpLoop::OnSocket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &shard);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &HttpLoop::OnTimer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, &shard);
  if (options_.max_connections > 0) {
    // The cap is the loop's; each shard takes its part, rounded up.
    size_t per_shard = (options_.max_connections + shards_.size() - 1) / shards_.size();
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(per_shard));
  }
  // Keep as many idle connections as calls may run at once, or reuse would be lost at high
  // concurrency (libcurl's default pool is 4 × the handles added).
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 100'000L);
  if (options_.transport.http2) curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  return Ok();
}

void HttpLoop::Post(HttpCall* call, int64_t start_ns) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(Timed{start_ns, call, 0});
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(inbox_fd_, &one, sizeof one);
}

void HttpLoop::AbortAt(HttpCall* call, int64_t ns) {
  timed_.push(Timed{ns, call, call->generation_});
  ArmScheduleTimer();
}

void HttpLoop::RequestStop() {
  stop_.store(true, std::memory_order_relaxed);
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(inbox_fd_, &one, sizeof one);
}

void HttpLoop::DrainInbox() {
  std::vector<Timed> posted;
  {
    std::lock_guard lock(inbox_mutex_);
    posted.swap(inbox_);
  }
  for (const Timed& t : posted)
    timed_.push(t);
}

void HttpLoop::Configure(HttpCall* call, bool fresh_connection) {
  CURL* easy = call->easy_;
  curl_easy_setopt(easy, CURLOPT_URL, std::string(call->url).c_str());
  if (call->method_get) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(call->request_body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->request_body.data());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, call->headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpLoop::OnWrite);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, call);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &HttpLoop::OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, call);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, call);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, call->error_);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  // 16 KiB, libcurl's default, measured against 64 and 256 KiB (bench_client_ceiling): a
  // larger buffer saves a few reads of big replies but each handle first-touches more pages
  // (~11 % more client CPU at 256 KiB), and it bounds what a stream can pin: a burst read into
  // a 256 KiB buffer would keep 256 KiB resident per stream at 10,000 streams.
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, static_cast<long>(kReadBufferBytes));
  if (options_.timeout_ms > 0) curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  ApplyTransport(easy, call->url, options_.transport);
  bool fresh = fresh_connection || options_.new_connection_per_request;
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, options_.new_connection_per_request ? 1L : 0L);
}

void HttpLoop::Start(HttpCall* call, int64_t now) {
  if (idle_easies_.empty()) {
    call->easy_ = curl_easy_init();
  } else {
    call->easy_ = idle_easies_.back();
    idle_easies_.pop_back();
    curl_easy_reset(call->easy_);
  }
  ++call->generation_;
  call->transfer_start_ns_ = now;
  call->loop_ = this;
  call->shard_ = next_shard_;
  next_shard_ = (next_shard_ + 1) % static_cast<uint32_t>(shards_.size());
  call->started_ = true;
  call->got_bytes_ = false;
  call->abort_ = false;
  call->status_ = 0;
  call->error_[0] = '\0';
  Configure(call, call->retried_);
  call->running_index_ = running_.size();
  running_.push_back(call);
  if (!call->retried_) call->OnStart(now);
  curl_multi_add_handle(shards_[call->shard_]->multi, call->easy_);
}

void HttpLoop::RunDue(int64_t now) {
  while (!timed_.empty() && timed_.top().ns <= now) {
    Timed t = timed_.top();
    timed_.pop();
    if (t.generation == 0) {
      Start(t.call, now);
    } else if (t.call->started_ && t.call->generation_ == t.generation) {
      // The deadline of a call that is still running: end it as if it had asked to stop.
      t.call->abort_ = true;
      curl_multi_remove_handle(shards_[t.call->shard_]->multi, t.call->easy_);
      HttpOutcome outcome;
      outcome.code = CURLE_ABORTED_BY_CALLBACK;
      outcome.end_ns = now;
      outcome.aborted = true;
      ReadConnection(t.call, outcome);
      End(t.call, outcome);
    }
  }
}

void HttpLoop::ArmScheduleTimer() {
  int64_t next = timed_.empty() ? 0 : timed_.top().ns;
  if (next == armed_ns_) return;
  armed_ns_ = next;
  ArmAbsolute(schedule_timer_fd_, next);
}

void HttpLoop::SocketAction(Shard& shard, curl_socket_t fd, int flags, int64_t read_ns,
                            int64_t now) {
  tls_read_ns = read_ns;
  int running = 0;
  curl_multi_socket_action(shard.multi, fd, flags, &running);
  if (!calls_in_read_.empty()) {
    const int64_t parsed = MonotonicNanos();
    for (HttpCall* call : calls_in_read_) {
      call->in_read_ = false;
      call->OnReadParsed(read_ns, now, parsed);
    }
    calls_in_read_.clear();
  }
  CollectDone(shard, now);
}

void HttpLoop::KickTimeouts() {
  for (auto& shard : shards_) {
    if (shard->timeout_now) {
      shard->timeout_now = false;
      const int64_t now = MonotonicNanos();
      SocketAction(*shard, CURL_SOCKET_TIMEOUT, 0, now, now);
    }
  }
  // libcurl checks a connect once, right after connect() returns; a loopback handshake often
  // completes a few µs later. Looking again now costs a poll() inside libcurl when it is not done.
  while (!connecting_.empty()) {
    auto [shard, fd] = connecting_.back();
    connecting_.pop_back();
    const int64_t now = MonotonicNanos();
    SocketAction(*shards_[shard], fd, CURL_CSELECT_OUT, now, now);
  }
}

void HttpLoop::CollectDone(Shard& shard, int64_t now) {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(shard.multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    HttpCall* call = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &call);
    CURLcode code = message->data.result;
    curl_multi_remove_handle(shard.multi, message->easy_handle);
    HttpOutcome outcome;
    outcome.code = code;
    outcome.end_ns = now;
    outcome.reused_connection = ReadConnection(call, outcome) == 0;
    if (code != CURLE_OK && outcome.reused_connection && !call->got_bytes_ && !call->retried_ &&
        !call->abort_ && IsIdleCloseRace(code)) {
      // Exactly one retry, on a new connection; the original send time stays.
      call->retried_ = true;
      Forget(call);
      idle_easies_.push_back(call->easy_);
      Start(call, now);
      continue;
    }
    outcome.aborted = call->abort_;
    End(call, outcome);
  }
}

long HttpLoop::ReadConnection(HttpCall* call, HttpOutcome& outcome) {
  // Lookups in the handle's counters when a transfer ends (no clock reading): libcurl measures
  // the connect time from the start of the transfer.
  long connects = 0;
  curl_easy_getinfo(call->easy_, CURLINFO_NUM_CONNECTS, &connects);
  if (connects > 0 || outcome.code == CURLE_COULDNT_CONNECT) {
    outcome.connect_start_ns = call->transfer_start_ns_;
    curl_off_t connect_us = 0;
    if (curl_easy_getinfo(call->easy_, CURLINFO_CONNECT_TIME_T, &connect_us) == CURLE_OK &&
        connect_us > 0) {
      outcome.connect_done_ns = call->transfer_start_ns_ + static_cast<int64_t>(connect_us) * 1000;
    }
  }
  return connects;
}

void HttpLoop::End(HttpCall* call, HttpOutcome& outcome) {
  long status = 0;
  curl_easy_getinfo(call->easy_, CURLINFO_RESPONSE_CODE, &status);
  outcome.status = status;
  outcome.retried = call->retried_;
  outcome.error = call->error_[0] != '\0' ? std::string_view(call->error_)
                                          : std::string_view(curl_easy_strerror(outcome.code));
  idle_easies_.push_back(call->easy_);
  call->easy_ = nullptr;
  call->started_ = false;
  ++call->generation_;
  Forget(call);
  call->OnEnd(outcome);
}

void HttpLoop::Forget(HttpCall* call) {
  HttpCall* last = running_.back();
  running_[call->running_index_] = last;
  last->running_index_ = call->running_index_;
  running_.pop_back();
}

int HttpLoop::OnSocket(CURL*, curl_socket_t fd, int what, void* user, void* socket_data) {
  auto* shard = static_cast<Shard*>(user);
  const int epoll_fd = shard->loop->epoll_fd_;
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    curl_multi_assign(shard->multi, fd, nullptr);
    // Closed before its second look: its number may be reused by the next socket.
    std::erase(shard->loop->connecting_, std::pair{shard->index, fd});
    shard->loop->closed_in_batch_.push_back(SocketTag(shard->index, fd));
    return 0;
  }
  epoll_event event{};
  event.data.u64 = SocketTag(shard->index, fd);
  if (what & CURL_POLL_IN) event.events |= EPOLLIN;
  if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
  if (socket_data == nullptr) {
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    if (what == CURL_POLL_OUT) shard->loop->connecting_.emplace_back(shard->index, fd);
    if (shard->loop->kernel_clock_) EnableKernelTimestamps(fd);
    // Any non-null marker: this socket is registered.
    curl_multi_assign(shard->multi, fd, shard);
  } else {
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &event);
  }
  return 0;
}

int HttpLoop::OnTimer(CURLM*, long timeout_ms, void* user) {
  auto* shard = static_cast<Shard*>(user);
  if (timeout_ms < 0) {
    ArmAbsolute(shard->timer_fd, 0);
  } else if (timeout_ms == 0) {
    // Not from inside libcurl's callback: the loop calls socket_action before it sleeps again.
    shard->timeout_now = true;
  } else {
    ArmAbsolute(shard->timer_fd, MonotonicNanos() + timeout_ms * 1'000'000);
  }
  return 0;
}

size_t HttpLoop::OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* call = static_cast<HttpCall*>(user);
  size_t bytes = size * count;
  call->got_bytes_ = true;
  if (!call->in_read_) {
    call->in_read_ = true;
    call->loop_->calls_in_read_.push_back(call);
  }
  if (!call->OnBody(std::string_view(data, bytes), tls_read_ns)) {
    call->abort_ = true;
    return CURL_WRITEFUNC_ERROR;
  }
  return bytes;
}

size_t HttpLoop::OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* call = static_cast<HttpCall*>(user);
  size_t bytes = size * count;
  call->got_bytes_ = true;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 100 Continue, or a redirect): remember its code.
    size_t space = line.find(' ');
    call->status_ = space == std::string_view::npos ? 0 : std::atol(line.data() + space + 1);
  } else if ((line == "\r\n" || line == "\n") && call->status_ >= 200) {
    call->OnHeaders(call->status_, tls_read_ns);
  }
  return bytes;
}

void HttpLoop::Run() {
  // Timers on this thread fire when due, not up to 50 µs later (the default slack).
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  while (!stop_.load(std::memory_order_relaxed)) {
    // Calls due start first, and libcurl is run for them (and for anything else that asked for
    // a timeout at once) before the loop sleeps or reads: a request goes out now, not after the
    // next batch of socket events.
    RunDue(MonotonicNanos());
    KickTimeouts();
    ArmScheduleTimer();
    // Kicking can ask for a timeout at once again: then epoll only polls.
    bool timeout_pending = false;
    for (auto& shard : shards_)
      timeout_pending = timeout_pending || shard->timeout_now;
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_pending ? 0 : -1);
    closed_in_batch_.clear();
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      // A socket closed earlier in this batch: its number may already name a new socket, which
      // epoll reports on the next wait. This event is the old socket's.
      // (Bit 62 marks the loop's own descriptors, never a socket.)
      if (!(tag & kCurlTimer) && std::find(closed_in_batch_.begin(), closed_in_batch_.end(), tag) !=
                                     closed_in_batch_.end()) {
        continue;
      }
      if (tag == kScheduleTimer) {
        Consume(schedule_timer_fd_);
        armed_ns_ = -1;
      } else if (tag == kInbox) {
        Consume(inbox_fd_);
        DrainInbox();
      } else if (tag & kCurlTimer) {
        Shard& shard = *shards_[tag & ~kCurlTimer];
        Consume(shard.timer_fd);
        const int64_t now = MonotonicNanos();
        SocketAction(shard, CURL_SOCKET_TIMEOUT, 0, now, now);
      } else {
        int flags = 0;
        if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        const auto fd = static_cast<curl_socket_t>(tag & 0xffff'ffffu);
        // The read timestamp: taken before libcurl reads and before anything is parsed.
        int64_t now = 0;
        std::optional<int64_t> arrival;
        if (kernel_clock_ && (flags & CURL_CSELECT_IN)) {
          arrival = kernel_clock_->PendingArrival(fd, &now);
        } else {
          now = MonotonicNanos();
        }
        SocketAction(*shards_[tag >> 32], fd, flags, arrival.value_or(now), now);
        // A start that fell due during a long batch of events goes out now (its send lag would
        // otherwise be the rest of the batch), stamped with the time it is handed over.
        if (!timed_.empty()) {
          if (int64_t handed_over = MonotonicNanos(); timed_.top().ns <= handed_over) {
            RunDue(handed_over);
            KickTimeouts();
          }
        }
      }
    }
  }
  // Stopped: every call still running ends now (calls may not outlive the loop's attention).
  int64_t now = MonotonicNanos();
  while (!running_.empty()) {
    HttpCall* call = running_.back();
    curl_multi_remove_handle(shards_[call->shard_]->multi, call->easy_);
    HttpOutcome outcome;
    outcome.code = CURLE_ABORTED_BY_CALLBACK;
    outcome.end_ns = now;
    outcome.stopped = true;
    ReadConnection(call, outcome);
    End(call, outcome);
  }
}

}  // namespace servebench::client
