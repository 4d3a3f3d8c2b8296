// --http2, TLS and --insecure against a real HTTP/2 server: nghttpd (Debian's nghttp2-server, the
// reference server of the nghttp2 library libcurl speaks HTTP/2 with). serve-sim has neither
// HTTP/2 nor TLS. nghttpd answers any method with the file at the request path, so a file holding
// a vLLM completions stream is a streaming server with known replies: each request gets the
// same 2 token events.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/run_args.h"
#include "tests/support/servebench_process.h"
#include "tests/support/test_files.h"

namespace servebench {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunServebench;

// A loopback port free at the moment of asking (nghttpd takes no port 0).
int FreePort() {
  uint16_t port = 0;
  close(testing::BindLoopback(&port));
  return port;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// nghttpd serving `docroot` on 127.0.0.1: cleartext HTTP/2 (prior knowledge) without a key, or
// HTTP/2 over TLS with one.
class Nghttpd {
 public:
  Nghttpd(const std::string& docroot, const std::string& key = "", const std::string& cert = "") {
    port_ = FreePort();
    std::vector<std::string> args = {"/usr/sbin/nghttpd", "--address=127.0.0.1", "-d", docroot,
                                     std::to_string(port_)};
    if (key.empty()) {
      args.insert(args.begin() + 1, "--no-tls");
    } else {
      args.insert(args.end(), {key, cert});
    }
    pid_ = testing::SpawnServer(args);
    for (int i = 0; i < 200 && pid_ > 0 && !Accepts(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~Nghttpd() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Nghttpd(const Nghttpd&) = delete;
  Nghttpd& operator=(const Nghttpd&) = delete;

  bool ok() const { return pid_ > 0 && Accepts(port_); }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class TransportE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RequireTokenizerFixture();
    // Installed by scripts/deps.sh: a missing one fails the test, it never skips it.
    ASSERT_EQ(access("/usr/sbin/nghttpd", X_OK), 0) << "nghttp2-server is not installed";
    ASSERT_EQ(access("/usr/bin/openssl", X_OK), 0) << "openssl is not installed";
    dir_ = testing::TempPath("transport-e2e", "server");
    fs::remove_all(dir_);
    fs::create_directories(dir_ + "/v1");
    std::ofstream(dir_ + "/v1/completions")
        << R"(data: {"id":"c1","object":"text_completion","model":"m","choices":[{"index":0,)"
        << R"("text":"Hello","finish_reason":null}]})"
        << "\n\n"
        << R"(data: {"id":"c1","object":"text_completion","model":"m","choices":[{"index":0,)"
        << R"("text":" world","finish_reason":"length"}],"usage":{"prompt_tokens":16,)"
        << R"("completion_tokens":2,"total_tokens":18}})"
        << "\n\n"
        << "data: [DONE]\n\n";
    std::ofstream(dir_ + "/v1/models") << R"({"object":"list","data":[{"id":"m"}]})";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A self-signed certificate for localhost, made now: real files, nothing checked in.
  void MakeCertificate() {
    std::string command = "/usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj " +
                          std::string("/CN=localhost -keyout ") + dir_ + "/key.pem -out " + dir_ +
                          "/cert.pem >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }

  // A run of 4 requests; the JSONL line's completed count and failures by reason.
  ProcessResult Run(const std::string& base_url, const std::vector<std::string>& more) {
    std::vector<std::string> args = {"--backend",          "vllm", "--num-prompts",       "4",
                                     "--random-input-len", "16",   "--random-output-len", "2",
                                     "--warmup-requests",  "0",    "--request-log",       log_};
    args.insert(args.end(), more.begin(), more.end());
    std::remove(jsonl_.c_str());
    std::vector<std::string> all = testing::SmallRunArgs(base_url, jsonl_, args);
    // A --ready-check-timeout-sec in `more` replaces SmallRunArgs' 5 s.
    auto flag = std::find(all.begin(), all.end(), "--ready-check-timeout-sec");
    if (std::count(all.begin(), all.end(), "--ready-check-timeout-sec") > 1)
      all.erase(flag, flag + 2);
    return RunServebench(all);
  }
  simdjson::dom::element Result() {
    std::string text = testing::ReadWhole(jsonl_);
    EXPECT_EQ(parser_.parse(text).get(result_), simdjson::SUCCESS) << text;
    return result_;
  }
  // The error of the request log's first line.
  std::string FirstError() {
    std::vector<std::string> lines = testing::NonEmptyLines(log_);
    if (lines.empty()) return "";
    simdjson::dom::element doc;
    if (log_parser_.parse(lines[0]).get(doc) != simdjson::SUCCESS) return "";
    std::string_view error;
    return doc["error"].get(error) == simdjson::SUCCESS ? std::string(error) : "";
  }

  std::string dir_;
  std::string jsonl_ = testing::TempPath("transport-e2e", "result.jsonl");
  std::string log_ = testing::TempPath("transport-e2e", "requests.jsonl");
  simdjson::dom::parser parser_, log_parser_;
  simdjson::dom::element result_;
};

// Cleartext HTTP/2 needs --http2 (prior knowledge): every request, the readiness wait and the
// model lookup included, then speaks it. Without the flag the same server answers nothing.
TEST_F(TransportE2e, Http2PriorKnowledgeOnCleartext) {
  Nghttpd server(dir_);
  ASSERT_TRUE(server.ok());
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  ProcessResult r = Run(url, {"--http2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc = Result();
  EXPECT_EQ(int64_t(doc["completed"]), 4);
  EXPECT_EQ(int64_t(doc["total_output_tokens"]), 8);
  EXPECT_EQ(std::string_view(doc["model_id"]), "m");  // GET /v1/models over HTTP/2

  r = Run(url, {"--model", "m", "--ready-check-timeout-sec", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(int64_t(Result()["completed"]), 0);
}

// TLS verifies the server's certificate unless --insecure: a self-signed one fails every request
// with `connect` and the TLS message, and the readiness wait names it; with --insecure the same
// run succeeds (HTTP/2 negotiated by ALPN).
TEST_F(TransportE2e, TlsVerifiesTheCertificateUnlessInsecure) {
  MakeCertificate();
  Nghttpd server(dir_, dir_ + "/key.pem", dir_ + "/cert.pem");
  ASSERT_TRUE(server.ok());
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port());

  ProcessResult r = Run(url, {"--http2", "--ready-check-timeout-sec", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;

  r = Run(url, {"--http2", "--model", "m", "--ready-check-timeout-sec", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::element doc = Result();
  EXPECT_EQ(int64_t(doc["completed"]), 0);
  EXPECT_EQ(int64_t(doc["failures_by_reason"]["connect"]), 4);
  EXPECT_NE(FirstError().find("certificate"), std::string::npos) << FirstError();

  r = Run(url, {"--http2", "--insecure"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = Result();
  EXPECT_EQ(int64_t(doc["completed"]), 4);
  EXPECT_EQ(int64_t(doc["total_output_tokens"]), 8);
}

}  // namespace
}  // namespace servebench
