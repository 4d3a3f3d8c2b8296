// Runs the built `servebench` binary (SERVEBENCH_BINARY_DIR/servebench) with arguments, for
// end-to-end tests: stdout and stderr are captured through files, the run is killed after a
// time limit, and a signal can be sent while it runs.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace servebench::testing {

struct ProcessResult {
  int exit_code = -1;  // -1: killed at the time limit, or not started
  std::string out;
  std::string err;
};

inline std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The command line `servebench args...` as execv wants it; `argv` points into `words`.
struct ServebenchCommand {
  explicit ServebenchCommand(const std::vector<std::string>& args)
      : binary(std::string(SERVEBENCH_BINARY_DIR) + "/servebench") {
    words = {binary};
    words.insert(words.end(), args.begin(), args.end());
    for (std::string& word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
  }
  ServebenchCommand(const ServebenchCommand&) = delete;
  ServebenchCommand& operator=(const ServebenchCommand&) = delete;

  std::string binary;
  std::vector<std::string> words;
  std::vector<char*> argv;
};

// Runs `servebench args...`; `during(pid)` (optional) is called once, `during_after_ms` after the
// start. Killed (SIGKILL) after `limit_ms`.
inline ProcessResult RunServebench(const std::vector<std::string>& args, int limit_ms = 30000,
                                   const std::function<void(pid_t)>& during = nullptr,
                                   int during_after_ms = 0) {
  ProcessResult result;
  ServebenchCommand command(args);
  static int counter = 0;
  std::string base =
      std::string("/tmp/sb-e2e-") + std::to_string(getpid()) + "-" + std::to_string(counter++);
  std::string out_path = base + ".out", err_path = base + ".err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  int rc =
      posix_spawn(&pid, command.binary.c_str(), &actions, nullptr, command.argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return result;
  auto start = std::chrono::steady_clock::now();
  bool signalled = during == nullptr;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    if (!signalled && elapsed >= during_after_ms) {
      signalled = true;
      during(pid);
    }
    if (elapsed > limit_ms) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.out = ReadWhole(out_path);
  result.err = ReadWhole(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

// Runs servebench with a pseudo-terminal as stdin, stdout and stderr: what a user at a terminal
// sees (a progress line). Returns everything written and the exit code; gives up (killing it) after
// 60 s.
inline ProcessResult RunServebenchOnTerminal(const std::vector<std::string>& args) {
  ProcessResult result;
  ServebenchCommand command(args);
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return result;
  if (pid == 0) {
    execv(command.binary.c_str(), command.argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  char buf[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      break;
    }
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child and its terminal are gone
    result.out.append(buf, static_cast<size_t>(n));
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `servebench args...` from bash after `prelude` (say, "ulimit -n 200" or "cd DIR"), which
// then execs servebench in its own place; stdout is dropped and stderr goes to `err_path`.
// Returns the exit code, -1 when killed.
inline int RunServebenchAfter(const std::string& prelude, const std::vector<std::string>& args,
                              const std::string& err_path) {
  ServebenchCommand servebench(args);
  std::string script = prelude + " && exec";
  for (const std::string& word : servebench.words)
    script += " '" + word + "'";
  script += " >/dev/null 2>'" + err_path + "'";
  std::string command = "bash -c \"" + script + "\"";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace servebench::testing
