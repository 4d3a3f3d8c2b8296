#include "sim/server.h"

#include <sys/resource.h>
#include <csignal>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/descriptors.h"
#include "common/receive_stamps.h"
#include "sim/session.h"
#include "sim/token_text.h"

namespace servebench::sim {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// Descriptor table room made up front: 64 Ki descriptors cost 512 KiB of kernel memory.
constexpr int64_t kReservedDescriptors = 65'536;

}  // namespace

struct Server::Worker {
  asio::io_context context{1};
  tcp::acceptor acceptor{context};
};

namespace {

asio::awaitable<void> AcceptLoop(tcp::acceptor& acceptor, ServerState& state) {
  SimRandom refuse_random(state.options.seed ^ 0x5EF05Eull ^
                          reinterpret_cast<uintptr_t>(&acceptor));
  double refuse_probability = 0;
  for (const Fault& f : state.options.faults) {
    if (f.kind == FaultKind::kRefuse) refuse_probability = f.probability;
  }
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kAwait);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or a connection aborted before accept: pause briefly, keep serving.
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(5));
      co_await pause.async_wait(kAwait);
      continue;
    }
    if (refuse_probability > 0 && refuse_random.NextDouble() < refuse_probability) {
      TraceRecord trace;
      trace.seq = state.next_seq.fetch_add(1, std::memory_order_relaxed);
      trace.faults.push_back(FaultName(FaultKind::kRefuse));
      trace.outcome = "refused";
      boost::system::error_code ignored;
      socket.set_option(asio::socket_base::linger(true, 0), ignored);
      socket.close(ignored);
      state.trace.Write(trace);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(acceptor.get_executor(), ServeConnection(std::move(socket), state),
                   [](std::exception_ptr) {});
  }
}

}  // namespace

Server::Server(SimOptions options) : state_(std::make_unique<ServerState>(std::move(options))) {}

Server::~Server() {
  Stop();
}

Status Server::Start() {
  const SimOptions& o = state_->options;
  // Thousands of streams need thousands of descriptors, and the table is grown now rather than
  // while connections are accepted (descriptors.h).
  int64_t limit = RaiseFileLimit();
  ReserveDescriptorTable(limit < 0 ? kReservedDescriptors : std::min(limit, kReservedDescriptors));
  if (!o.trace_out.empty()) {
    if (auto s = state_->trace.Open(o.trace_out); !s) return s;
  }
  // The kernel turns stamping on lazily: without this wait, the first requests after start-up
  // could arrive unstamped.
  if (auto stamping = KernelStamping::Start()) stamping_.emplace(std::move(*stamping));
  if (!o.tokenizer.empty()) {
    auto loaded = tokenizer::LoadTokenizer(o.tokenizer);
    if (!loaded) return MakeError("--tokenizer {}: {}", o.tokenizer, loaded.error().message);
    state_->tokenizer = std::move(*loaded);
  }
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(o.host, ec);
  if (ec) return MakeError("--host {}: expected an IP address such as 127.0.0.1 or ::1", o.host);
  int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  port_ = o.port;
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>();
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port_));
    worker->acceptor.open(endpoint.protocol(), ec);
    if (!ec) worker->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      int one = 1;
      if (setsockopt(worker->acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one,
                     sizeof one) != 0) {
        ec = boost::system::error_code(errno, boost::system::system_category());
      }
    }
    if (!ec) worker->acceptor.bind(endpoint, ec);
    if (!ec) worker->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    // Accepted sockets inherit receive timestamps, and the listener keeps the kernel stamping
    // packets all along, so a request's bytes are stamped even when they arrive before serve-sim
    // accepts the connection (the request's arrival time, sim/session.cpp).
    if (!ec) EnableKernelTimestamps(worker->acceptor.native_handle());
    if (ec) {
      return MakeError("--port {}: cannot listen on {}:{}: {}", o.port, o.host, port_,
                       ec.message());
    }
    // Port 0: the first socket picked a free port; the others share it.
    if (port_ == 0) port_ = worker->acceptor.local_endpoint().port();
    workers_.push_back(std::move(worker));
  }
  state_->started_unix = static_cast<int64_t>(std::time(nullptr));
  if (!o.instant && !o.pace_ttft_ms) state_->engine = std::make_unique<Engine>(o.engine);
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context, AcceptLoop(worker->acceptor, *state_), asio::detached);
    threads_.emplace_back([context = &worker->context] { context->run(); });
  }
  running_ = true;
  return Ok();
}

void Server::Stop() {
  if (!running_) return;
  running_ = false;
  // Stop accepting, then give requests in flight a moment to finish and reach the trace: a
  // client that saw its last byte must find its request in --trace-out.
  for (auto& worker : workers_) {
    asio::post(worker->context, [acceptor = &worker->acceptor] {
      boost::system::error_code ignored;
      acceptor->close(ignored);
    });
  }
  for (int waited_ms = 0; state_->active_requests.load() > 0 && waited_ms < 1000; ++waited_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The engine goes first: its callbacks post into the io_contexts, which must outlive it.
  state_->engine.reset();
  for (auto& worker : workers_)
    worker->context.stop();
  for (auto& thread : threads_)
    thread.join();
  threads_.clear();
  workers_.clear();
}

int RunServeSim(const SimOptions& options) {
  // Block the signals before any thread starts so that only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Server server(options);
  if (auto status = server.Start(); !status) {
    std::fprintf(stderr, "serve-sim: %s\n", status.error().message.c_str());
    return 2;
  }
  std::string mode = options.instant ? std::string("instant")
                     : options.pace_ttft_ms
                         ? fmt::format("pace {}ms,{}ms", *options.pace_ttft_ms, options.pace_itl_ms)
                         : std::string("engine model");
  std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::fprintf(stderr, "serve-sim listening on http://%s:%d (family %s, %s, model %s)\n",
               host.c_str(), server.port(), std::string(FamilyName(options.family)).c_str(),
               mode.c_str(), options.model_name.c_str());
  int signal = 0;
  sigwait(&signals, &signal);
  server.Stop();
  return 0;
}

}  // namespace servebench::sim
