// serve-sim's server: `--threads` io_contexts, each with its own thread and its own listening
// socket on the same port (SO_REUSEPORT lets the kernel spread connections across them).
#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "common/receive_stamps.h"
#include "common/status.h"
#include "sim/options.h"
#include "sim/server_state.h"

namespace servebench::sim {

class Server {
 public:
  explicit Server(SimOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds (port 0 picks a free port), starts the engine and the threads.
  Status Start();
  // The bound port; valid after Start().
  int port() const { return port_; }
  ServerState& state() { return *state_; }
  // Stops accepting and closes every connection; idempotent.
  void Stop();

 private:
  struct Worker;
  std::unique_ptr<ServerState> state_;
  // Receive stamping is on before the first request (request arrival times, session.cpp); empty
  // when the kernel refuses it, and then requests are received when parsed.
  std::optional<KernelStamping> stamping_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  bool running_ = false;
};

// `servebench serve-sim`: runs until SIGINT or SIGTERM.
int RunServeSim(const SimOptions& options);

}  // namespace servebench::sim
