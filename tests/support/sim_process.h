// Runs `servebench serve-sim` as a child process on a free loopback port for a test, and stops
// it (SIGTERM) when destroyed. The binary is SERVEBENCH_BINARY_DIR/servebench.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace servebench::testing {

class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> flags) {
    std::string bin = std::string(SERVEBENCH_BINARY_DIR) + "/servebench";
    if (access(bin.c_str(), X_OK) != 0) return;
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> args = {bin, "serve-sim", "--port", "0", "--threads", "1"};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ = SpawnServer(args, out[1], out[0]);
    int rc = pid_ > 0 ? 0 : -1;
    close(out[1]);
    output_ = out[0];
    if (rc != 0) {
      pid_ = 0;
      return;
    }
    // "serve-sim listening on http://127.0.0.1:PORT (...)", within 10 s.
    std::string line;
    char c;
    pollfd fd{output_, POLLIN, 0};
    while (line.size() < 512 && poll(&fd, 1, 10000) == 1 && read(output_, &c, 1) == 1 &&
           c != '\n') {
      line += c;
    }
    size_t at = line.find("http://");
    if (at == std::string::npos) return;
    size_t end = line.find(' ', at);
    base_url_ = line.substr(at, end - at);
    port_ = std::stoi(base_url_.substr(base_url_.rfind(':') + 1));
  }
  ~SimProcess() {
    Stop();
    if (output_ >= 0) close(output_);
  }
  // Ends the server (SIGTERM: it finishes writing its trace); idempotent.
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = 0;
    }
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& base_url() const { return base_url_; }

 private:
  pid_t pid_ = 0;
  int output_ = -1;
  int port_ = 0;
  std::string base_url_;
};

}  // namespace servebench::testing
