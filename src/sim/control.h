// serve-sim's routes that are not generation: model lists, health, metrics, cache flush,
// profiler, server and model info (spec/protocols.md §7, §8, §9.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/server_state.h"
#include "sim/wire/wire.h"

namespace servebench::sim {

struct PlainReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// The reply for a control route, or nullopt when (method, path) is not one. `path` has no query.
std::optional<PlainReply> HandleControl(std::string_view method, std::string_view path,
                                        Family family, ServerState& state);

}  // namespace servebench::sim
