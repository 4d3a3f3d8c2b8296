#include "tokenizer/hub.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "tokenizer/hub_fetch.h"

namespace servebench::tokenizer {

namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

bool IsCommitHash(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool HasTokenizerFile(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "tokenizer.json", ec) ||
         fs::is_regular_file(dir / "tokenizer.model", ec);
}

// GETs `url` into `target`, written whole or not at all.
FetchResult Fetch(const std::string& url, const HubSettings& settings, const fs::path& target) {
  fs::path partial = target;
  partial += ".incomplete";
  FetchResult result = FetchToFile(
      {.url = url, .token = settings.token, .timeout_seconds = settings.timeout_seconds}, partial);
  std::error_code ec;
  if (result.error.empty() && result.status == 200) {
    fs::rename(partial, target, ec);
    if (ec) result.error = fmt::format("cannot write {}: {}", target.string(), ec.message());
  }
  if (result.status != 200 || !result.error.empty()) fs::remove(partial, ec);
  return result;
}

}  // namespace

HubSettings HubSettings::FromEnvironment() {
  HubSettings s;
  if (std::string cache = Env("HF_HUB_CACHE"); !cache.empty()) {
    s.cache_dir = cache;
  } else if (std::string home = Env("HF_HOME"); !home.empty()) {
    s.cache_dir = home + "/hub";
  } else if (std::string xdg = Env("XDG_CACHE_HOME"); !xdg.empty()) {
    s.cache_dir = xdg + "/huggingface/hub";
  } else {
    s.cache_dir = Env("HOME") + "/.cache/huggingface/hub";
  }
  s.endpoint = Env("HF_ENDPOINT");
  if (s.endpoint.empty()) s.endpoint = "https://huggingface.co";
  while (!s.endpoint.empty() && s.endpoint.back() == '/')
    s.endpoint.pop_back();
  s.token = Env("HF_TOKEN");
  if (s.token.empty()) s.token = Env("HUGGING_FACE_HUB_TOKEN");
  for (const char* name : {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}) {
    std::string v = Env(name);
    if (v == "1" || v == "true" || v == "TRUE" || v == "yes") s.offline = true;
  }
  return s;
}

bool LooksLikeHubId(std::string_view name) {
  std::string_view repo = name.substr(0, name.find('@'));
  size_t slash = repo.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == repo.size() ||
      repo.find('/', slash + 1) != std::string_view::npos || repo[0] == '.') {
    return false;
  }
  for (char c : repo) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

Expected<std::string> ResolveHubTokenizer(std::string_view repo_id, const HubSettings& settings) {
  if (!LooksLikeHubId(repo_id)) {
    return MakeError("{}: not a HuggingFace hub id (expected ORG/NAME or ORG/NAME@REVISION)",
                     repo_id);
  }
  size_t at = repo_id.find('@');
  std::string repo(repo_id.substr(0, at));
  std::string revision =
      at == std::string_view::npos ? "main" : std::string(repo_id.substr(at + 1));
  std::string folder =
      "models--" + repo.substr(0, repo.find('/')) + "--" + repo.substr(repo.find('/') + 1);
  fs::path repo_dir = fs::path(settings.cache_dir) / folder;

  std::string commit = IsCommitHash(revision) ? revision : "";
  if (commit.empty()) {
    std::ifstream ref(repo_dir / "refs" / revision);
    std::getline(ref, commit);
  }
  if (!commit.empty() && HasTokenizerFile(repo_dir / "snapshots" / commit)) {
    return (repo_dir / "snapshots" / commit).string();
  }
  if (settings.offline) {
    return MakeError("{}: not in the HuggingFace cache {} and HF_HUB_OFFLINE is set", repo_id,
                     settings.cache_dir);
  }

  // Download into a staging directory, then move the files under snapshots/<commit>.
  std::error_code ec;
  fs::path staging = repo_dir / fmt::format(".servebench-download-{}", getpid());
  fs::create_directories(staging, ec);
  if (ec) return MakeError("{}: cannot create {}: {}", repo_id, staging.string(), ec.message());
  auto url = [&](const char* file) {
    return fmt::format("{}/{}/resolve/{}/{}", settings.endpoint, repo, revision, file);
  };
  std::string main_file = "tokenizer.json";
  FetchResult got = Fetch(url("tokenizer.json"), settings, staging / "tokenizer.json");
  if (got.error.empty() && got.status == 404) {
    main_file = "tokenizer.model";
    got = Fetch(url("tokenizer.model"), settings, staging / "tokenizer.model");
  }
  if (!got.error.empty()) {
    return MakeError("{}: not in the HuggingFace cache {}, and downloading {} failed: {}", repo_id,
                     settings.cache_dir, url(main_file.c_str()), got.error);
  }
  if (got.status != 200) {
    std::string hint = got.status == 401 || got.status == 403 ? " (gated or private: set HF_TOKEN)"
                       : got.status == 404 ? " (no tokenizer.json or tokenizer.model)"
                                           : "";
    return MakeError("{}: not in the HuggingFace cache {}, and {} answered HTTP {}{}", repo_id,
                     settings.cache_dir, url(main_file.c_str()), got.status, hint);
  }
  if (commit.empty()) commit = got.commit;
  if (commit.empty()) commit = revision;  // a server that does not say which commit it served
  FetchResult config =
      Fetch(url("tokenizer_config.json"), settings, staging / "tokenizer_config.json");
  if (!config.error.empty() || (config.status != 200 && config.status != 404)) {
    return MakeError("{}: downloading {} failed: {}", repo_id, url("tokenizer_config.json"),
                     config.error.empty() ? fmt::format("HTTP {}", config.status) : config.error);
  }

  fs::path snapshot = repo_dir / "snapshots" / commit;
  fs::create_directories(snapshot, ec);
  for (const char* name : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json"}) {
    if (fs::exists(staging / name, ec)) fs::rename(staging / name, snapshot / name, ec);
    if (ec)
      return MakeError("{}: cannot write {}: {}", repo_id, (snapshot / name).string(),
                       ec.message());
  }
  fs::remove_all(staging, ec);
  if (commit != revision) {
    fs::create_directories(repo_dir / "refs", ec);
    std::ofstream(repo_dir / "refs" / revision) << commit;
  }
  return snapshot.string();
}

}  // namespace servebench::tokenizer
