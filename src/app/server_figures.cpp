#include "app/server_figures.h"

#include <simdjson.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "client/http_get.h"
#include "report/server_figures.h"

namespace servebench::app {
namespace {

constexpr int64_t kTimeoutMs = 10'000;

void Warn(const std::string& url, const std::string& what) {
  std::fprintf(stderr, "servebench run: warning: GET %s: %s (server-side figures skipped)\n",
               url.c_str(), what.c_str());
}

std::string Outcome(const client::GetResult& r) {
  return r.status == 0 ? r.error : fmt::format("HTTP {}", r.status);
}

// internal_states[0].avg_spec_accept_length of one server's info object.
std::optional<double> AcceptLengthOf(simdjson::dom::element server) {
  simdjson::dom::element states;
  if (server["internal_states"].get(states) != simdjson::SUCCESS || !states.is_array()) {
    return std::nullopt;
  }
  simdjson::dom::element first;
  if (states.at(0).get(first) != simdjson::SUCCESS) return std::nullopt;
  double value = 0;
  if (first["avg_spec_accept_length"].get_double().get(value) != simdjson::SUCCESS) {
    int64_t whole = 0;
    if (first["avg_spec_accept_length"].get_int64().get(whole) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    value = static_cast<double>(whole);
  }
  return value;
}

}  // namespace

std::optional<metrics::PrometheusScrape> ScrapeServerMetrics(const Prepared& p) {
  if (p.target.backend->family != "vllm") return std::nullopt;
  const std::string url = p.target.base_url + "/metrics";
  client::GetResult r = client::HttpGet(url, p.target.header_lines, kTimeoutMs, p.target.transport);
  if (r.status != 200) {
    Warn(url, Outcome(r));
    return std::nullopt;
  }
  auto scrape = metrics::ParsePrometheusText(r.body);
  if (!scrape) {
    Warn(url, scrape.error().message);
    return std::nullopt;
  }
  return *scrape;
}

void AddMetricsFigures(const std::optional<metrics::PrometheusScrape>& before,
                       const std::optional<metrics::PrometheusScrape>& after,
                       report::RunInfo& info) {
  if (!before || !after) return;
  info.server_metrics_delta_json = report::CounterDeltasJson(*before, *after);
  info.spec_decode = report::SpecDecodeFromScrapes(*before, *after);
  if (info.spec_decode) info.accept_length = info.spec_decode->acceptance_length;
}

ServerInfo FetchServerInfo(const Prepared& p) {
  ServerInfo info;
  if (p.target.backend->family != "sglang") return info;
  std::string url = p.target.base_url + "/server_info";
  client::GetResult r = client::HttpGet(url, p.target.header_lines, kTimeoutMs, p.target.transport);
  if (r.status == 404) {  // SGLang before the rename
    url = p.target.base_url + "/get_server_info";
    r = client::HttpGet(url, p.target.header_lines, kTimeoutMs, p.target.transport);
  }
  if (r.status != 200) {
    Warn(url, Outcome(r));
    return info;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(r.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    Warn(url, "expected a JSON object");
    return info;
  }
  info.json = std::move(r.body);
  simdjson::dom::element decode;
  simdjson::dom::element server = doc;
  if (doc["decode"].get(decode) == simdjson::SUCCESS && decode.is_array()) {
    if (decode.at(0).get(server) != simdjson::SUCCESS) return info;
  }
  info.accept_length = AcceptLengthOf(server);
  return info;
}

}  // namespace servebench::app
