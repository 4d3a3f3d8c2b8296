// Dataset file discovery and download against a local HTTP server on 127.0.0.1 (real sockets):
// redirects, bearer token, HF_HUB_OFFLINE, resuming with a Range request, atomic rename.
#include "dataset/dataset_source.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/local_http_server.h"

namespace servebench::dataset {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Serves `body` at /datasets/...; /moved/<x> redirects to /datasets/<x>. Honours "Range:
// bytes=N-" with 206 unless ignore_range.
class DatasetServer : public testing::LocalHttpServer {
 public:
  explicit DatasetServer(std::string body)
      : LocalHttpServer([this](const testing::RequestHead& r) { return Respond(r); }),
        body_(std::move(body)) {}
  std::atomic<bool> ignore_range{false};

 private:
  std::string Respond(const testing::RequestHead& r) {
    std::string range = r.Header("Range");
    if (r.path.starts_with("/moved/")) {
      return "HTTP/1.1 302 Found\r\nLocation: /datasets/" + r.path.substr(7) +
             "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }
    if (!r.path.starts_with("/datasets/")) {
      return "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found";
    }
    if (!range.empty() && !ignore_range) {
      size_t from = std::stoul(range.substr(6));
      std::string part = body_.substr(std::min(from, body_.size()));
      return fmt::format(
          "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {}-{}/{}\r\nContent-Length: "
          "{}\r\nConnection: close\r\n\r\n{}",
          from, body_.size() - 1, body_.size(), part.size(), part);
    }
    return fmt::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                       body_.size(), body_);
  }

  std::string body_;
};

class Source : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("dataset-source-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    settings_.hub_cache = (root_ / "hub").string();
    settings_.servebench_cache = (root_ / "cache").string();
    settings_.timeout_seconds = 20;
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  SourceSettings settings_;
  const std::string body_ = std::string(100000, 'x') + "[{\"conversations\":[]}]";
};

TEST_F(Source, DownloadFollowsRedirectsSendsTheTokenAndRenamesWhenComplete) {
  DatasetServer server(body_);
  settings_.token = "secret";
  auto path = DownloadToCache(server.endpoint() + "/moved/file.json", "file.json", settings_, {});
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(*path, (root_ / "cache" / "file.json").string());
  EXPECT_EQ(ReadAll(*path), body_);
  EXPECT_FALSE(fs::exists(*path + ".incomplete"));
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].path, "/moved/file.json");
  EXPECT_EQ(seen[0].Header("Authorization"), "Bearer secret");
  EXPECT_EQ(seen[1].path, "/datasets/file.json");
}

TEST_F(Source, AnInterruptedDownloadResumesWithARange) {
  DatasetServer server(body_);
  fs::create_directories(root_ / "cache");
  std::ofstream(root_ / "cache" / "file.json.incomplete", std::ios::binary)
      << body_.substr(0, 60000);
  auto path =
      DownloadToCache(server.endpoint() + "/datasets/file.json", "file.json", settings_, {});
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(ReadAll(*path), body_);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("Range"), "bytes=60000-");
}

TEST_F(Source, AServerIgnoringTheRangeStillGivesTheWholeFile) {
  DatasetServer server(body_);
  server.ignore_range = true;
  fs::create_directories(root_ / "cache");
  std::ofstream(root_ / "cache" / "file.json.incomplete", std::ios::binary) << "stale bytes";
  auto path =
      DownloadToCache(server.endpoint() + "/datasets/file.json", "file.json", settings_, {});
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(ReadAll(*path), body_);
}

TEST_F(Source, FailuresNameTheUrlAndThePathsSearched) {
  DatasetServer server(body_);
  auto missing = DownloadToCache(server.endpoint() + "/elsewhere/file.json", "file.json", settings_,
                                 {"/a/file.json", "/b/file.json"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("/elsewhere/file.json failed: HTTP 404"),
            std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("searched /a/file.json, /b/file.json"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "cache" / "file.json"));

  settings_.offline = true;
  auto offline = DownloadToCache(server.endpoint() + "/datasets/file.json", "file.json", settings_,
                                 {"/a/file.json"});
  ASSERT_FALSE(offline.has_value());
  EXPECT_NE(offline.error().message.find("HF_HUB_OFFLINE"), std::string::npos);
  EXPECT_NE(offline.error().message.find("/a/file.json"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u);  // offline: no request at all
}

TEST_F(Source, ShareGptIsFoundInTheHubCacheBeforeAnyDownload) {
  fs::path snapshot =
      root_ / "hub" / "datasets--anon8231489123--ShareGPT_Vicuna_unfiltered" / "snapshots" / "abc";
  fs::create_directories(snapshot);
  std::ofstream(snapshot / "ShareGPT_V3_unfiltered_cleaned_split.json") << "[]";
  settings_.endpoint = "http://127.0.0.1:1";  // would fail if asked
  auto path = LocateShareGpt("", settings_);
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(*path, (snapshot / "ShareGPT_V3_unfiltered_cleaned_split.json").string());

  auto explicit_missing = LocateShareGpt((root_ / "nope.json").string(), settings_);
  ASSERT_FALSE(explicit_missing.has_value());
  EXPECT_NE(explicit_missing.error().message.find("--dataset-path"), std::string::npos);
}

TEST_F(Source, ShareGptIsDownloadedFromTheEndpointWhenNowhereLocal) {
  if (fs::exists("/tmp/ShareGPT_V3_unfiltered_cleaned_split.json")) {
    GTEST_SKIP() << "/tmp holds a ShareGPT file, which discovery would take first";
  }
  DatasetServer server(body_);
  settings_.endpoint = server.endpoint();
  auto path = LocateShareGpt("", settings_);
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(*path, (root_ / "cache" / "ShareGPT_V3_unfiltered_cleaned_split.json").string());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].path,
            "/datasets/anon8231489123/ShareGPT_Vicuna_unfiltered/resolve/main/"
            "ShareGPT_V3_unfiltered_cleaned_split.json");
  // The second time the cache answers.
  auto again = LocateShareGpt("", settings_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(server.requests().size(), 1u);
}

}  // namespace
}  // namespace servebench::dataset
