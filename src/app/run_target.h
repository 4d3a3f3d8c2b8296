// The target of `servebench run` and what is learned from it before the run: base URL, request
// URL, headers, readiness probe, model name (spec/protocols.md §1, §2, §7, §8).
#pragma once

#include <string>
#include <vector>

#include "app/run_flags.h"
#include "client/transport.h"
#include "common/status.h"
#include "protocol/backend.h"

namespace servebench::app {

struct Target {
  const protocol::BackendInfo* backend = nullptr;
  std::string base_url;                   // no trailing slash
  std::string endpoint;                   // request path
  std::string url;                        // base_url + endpoint
  std::vector<std::string> header_lines;  // "Name: value", user headers last
  std::string probe_url;                  // readiness
  client::Transport transport;            // --http2, --insecure: every request to the server
};

// Resolves backend, URLs and headers from the flags; errors name the flag.
Expected<Target> ResolveTarget(const RunFlags& flags);

// The model name M: --served-model-name, --model, else GET /v1/models (tgi: /info).
Expected<std::string> DiscoverModel(const RunFlags& flags, const Target& target);

}  // namespace servebench::app
