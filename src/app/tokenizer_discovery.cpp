#include "app/tokenizer_discovery.h"

#include <simdjson.h>

#include "client/http_get.h"

namespace servebench::app {
namespace {

constexpr int64_t kTimeoutMs = 10000;

std::string FromModelInfo(const Target& target) {
  client::GetResult r = client::HttpGet(target.base_url + "/model_info", target.header_lines,
                                        kTimeoutMs, target.transport);
  if (r.status == 404) {
    r = client::HttpGet(target.base_url + "/get_model_info", target.header_lines, kTimeoutMs,
                        target.transport);
  }
  if (r.status != 200) return "";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.body).get(doc) != simdjson::SUCCESS) return "";
  for (const char* key : {"tokenizer_path", "model_path"}) {
    std::string_view path;
    if (doc[key].get(path) == simdjson::SUCCESS && !path.empty()) return std::string(path);
  }
  return "";
}

std::string FromModelRoot(const Target& target) {
  client::GetResult r = client::HttpGet(target.base_url + "/v1/models", target.header_lines,
                                        kTimeoutMs, target.transport);
  if (r.status != 200) return "";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array data;
  if (parser.parse(r.body).get(doc) != simdjson::SUCCESS ||
      doc["data"].get(data) != simdjson::SUCCESS || data.size() == 0) {
    return "";
  }
  std::string_view id, root;
  if (data.at(0)["id"].get(id) != simdjson::SUCCESS ||
      data.at(0)["root"].get(root) != simdjson::SUCCESS || root.empty() || root == id) {
    return "";
  }
  return std::string(root);
}

}  // namespace

std::string DiscoverTokenizerName(const RunFlags& f, const Target& target,
                                  const std::string& model) {
  if (!f.tokenizer.empty()) return f.tokenizer;
  std::string_view backend = target.backend->name;
  if (backend.starts_with("sglang")) {
    if (std::string found = FromModelInfo(target); !found.empty()) return found;
  } else if (backend.starts_with("vllm")) {
    if (std::string found = FromModelRoot(target); !found.empty()) return found;
  }
  return !f.model_path.empty() ? f.model_path : model;
}

}  // namespace servebench::app
