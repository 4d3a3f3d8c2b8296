// The --backend table (spec/protocols.md §1): for each backend, the server family it targets,
// its default port and path, the API style of its bodies and replies, and how the model name
// is found.
#pragma once

#include <span>
#include <string_view>

#include "common/compat.h"
#include "common/status.h"

namespace servebench::protocol {

// The request/response dialect.
enum class Style {
  kNative,       // SGLang POST /generate
  kCompletions,  // OpenAI /v1/completions (also Truss, which proxies it)
  kChat,         // OpenAI /v1/chat/completions
  kTrt,          // Triton generate extension on the TensorRT-LLM ensemble
  kTgi,          // TGI /generate_stream
};

std::string_view StyleName(Style style);

enum class ModelDiscovery {
  kV1Models,  // GET /v1/models -> data[0].id
  kTgiInfo,   // GET /info -> model_id (when --model is unset)
  kNone,      // --model (or --tokenizer for trt) is required
};

struct BackendInfo {
  std::string_view name;    // the --backend value
  std::string_view family;  // server family, for messages and reports
  int default_port;
  std::string_view path;             // streaming path
  std::string_view non_stream_path;  // --disable-stream path
  Style style;
  bool model_in_body;
  bool model_required_by_server;  // LMDeploy rejects bodies without "model"
  ModelDiscovery discovery;
  bool strict;  // openai, openai-chat: only OpenAI-defined fields unless asked (§1)
};

// Every backend, in the order of spec/protocols.md §1 (the first is the default).
std::span<const BackendInfo> Backends();

// Looks a --backend value up; the error lists the valid names.
Expected<const BackendInfo*> FindBackend(std::string_view name);

inline std::string_view RequestPath(const BackendInfo& backend, bool stream) {
  return stream ? backend.path : backend.non_stream_path;
}

using ::servebench::Compat;
using ::servebench::CompatName;
using ::servebench::ParseCompat;

}  // namespace servebench::protocol
