#include "app/run_target.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "client/http_get.h"
#include "common/version.h"

namespace servebench::app {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string ProbePath(const protocol::BackendInfo& backend) {
  if (backend.name == "trt") return "/v2/health/ready";
  if (backend.name == "tgi") return "/health";
  if (backend.name == "truss") return "/v1/models/model";
  return "/v1/models";
}

}  // namespace

Expected<Target> ResolveTarget(const RunFlags& flags) {
  Target t;
  auto backend = protocol::FindBackend(flags.backend);
  if (!backend) return std::unexpected(backend.error());
  t.backend = *backend;
  if (!flags.base_url.empty()) {
    if (!flags.base_url.starts_with("http://") && !flags.base_url.starts_with("https://")) {
      return MakeError("--base-url: expected http://host:port[/prefix], got '{}'", flags.base_url);
    }
    t.base_url = flags.base_url;
    while (t.base_url.ends_with('/'))
      t.base_url.pop_back();
  } else {
    int port = flags.port.value_or(t.backend->default_port);
    if (port <= 0 || port > 65535) return MakeError("--port: expected 1..65535, got {}", port);
    std::string host = flags.host == "0.0.0.0" ? "127.0.0.1" : flags.host;
    if (host.find(':') != std::string::npos && !host.starts_with('[')) host = "[" + host + "]";
    t.base_url = "http://" + host + ":" + std::to_string(port);
  }
  t.endpoint = flags.endpoint.empty()
                   ? std::string(protocol::RequestPath(*t.backend, !flags.disable_stream))
                   : flags.endpoint;
  if (!t.endpoint.starts_with('/')) {
    return MakeError("--endpoint: expected a path starting with /, got '{}'", t.endpoint);
  }
  t.url = t.base_url + t.endpoint;
  t.probe_url = t.base_url + ProbePath(*t.backend);
  t.transport = client::Transport{flags.http2, flags.insecure};

  // Built-in headers in the spec's order, then the user's (which replace same-named ones).
  std::vector<std::pair<std::string, std::string>> headers = {
      {"User-Agent", "servebench/" + std::string(Version())},
      {"Content-Type", "application/json"},
      {"Accept", "*/*"},
  };
  if (const char* key = std::getenv("OPENAI_API_KEY"); key != nullptr && *key != '\0') {
    headers.push_back({"Authorization", std::string("Bearer ") + key});
  } else if (const char* api_key = std::getenv("API_KEY"); api_key != nullptr) {
    headers.push_back({"Authorization", api_key});
  }
  for (const std::string& kv : flags.headers) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError("--header: expected K=V, got '{}'", kv);
    }
    std::string name = kv.substr(0, eq);
    std::erase_if(headers, [&](const auto& h) { return SameName(h.first, name); });
    headers.push_back({name, kv.substr(eq + 1)});
  }
  for (const auto& [name, value] : headers)
    t.header_lines.push_back(name + ": " + value);
  return t;
}

Expected<std::string> DiscoverModel(const RunFlags& flags, const Target& target) {
  if (!flags.served_model_name.empty()) return flags.served_model_name;
  if (!flags.model.empty()) return flags.model;
  const protocol::BackendInfo& b = *target.backend;
  if (b.discovery == protocol::ModelDiscovery::kNone) {
    return MakeError("--model is required with --backend {}", b.name);
  }
  bool tgi = b.discovery == protocol::ModelDiscovery::kTgiInfo;
  std::string url = target.base_url + (tgi ? "/info" : "/v1/models");
  client::GetResult r = client::HttpGet(url, target.header_lines, 10000, target.transport);
  if (r.status != 200) {
    return MakeError("cannot read the model name from {} ({}); give --model", url,
                     r.status == 0 ? r.error : "HTTP " + std::to_string(r.status));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.body).get(doc) == simdjson::SUCCESS) {
    std::string_view id;
    if (tgi) {
      if (doc["model_id"].get(id) == simdjson::SUCCESS) return std::string(id);
    } else {
      simdjson::dom::array data;
      if (doc["data"].get(data) == simdjson::SUCCESS && data.size() > 0 &&
          data.at(0)["id"].get(id) == simdjson::SUCCESS) {
        return std::string(id);
      }
    }
  }
  return MakeError("no model name in the reply of {}; give --model", url);
}

}  // namespace servebench::app
