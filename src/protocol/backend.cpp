#include "protocol/backend.h"

#include <array>
#include <string>

namespace servebench::protocol {

namespace {

using enum Style;
using enum ModelDiscovery;

constexpr std::string_view kGenerate = "/generate";
constexpr std::string_view kCompletionsPath = "/v1/completions";
constexpr std::string_view kChatPath = "/v1/chat/completions";

constexpr std::array<BackendInfo, 13> kBackends = {{
    // name, family, port, path, non-stream path, style, model in body, required, discovery,
    // strict
    {"sglang", "sglang", 30000, kGenerate, kGenerate, kNative, false, false, kV1Models, false},
    {"sglang-native", "sglang", 30000, kGenerate, kGenerate, kNative, false, false, kV1Models,
     false},
    {"sglang-oai", "sglang", 30000, kCompletionsPath, kCompletionsPath, kCompletions, true, false,
     kV1Models, false},
    {"sglang-oai-chat", "sglang", 30000, kChatPath, kChatPath, kChat, true, false, kV1Models,
     false},
    {"vllm", "vllm", 8000, kCompletionsPath, kCompletionsPath, kCompletions, true, false, kV1Models,
     false},
    {"vllm-chat", "vllm", 8000, kChatPath, kChatPath, kChat, true, false, kV1Models, false},
    {"lmdeploy", "lmdeploy", 23333, kCompletionsPath, kCompletionsPath, kCompletions, true, true,
     kV1Models, false},
    {"lmdeploy-chat", "lmdeploy", 23333, kChatPath, kChatPath, kChat, true, true, kV1Models, false},
    {"trt", "trt", 8000, "/v2/models/ensemble/generate_stream", "/v2/models/ensemble/generate",
     kTrt, false, false, kNone, false},
    {"truss", "truss", 8080, "/v1/models/model:predict", "/v1/models/model:predict", kCompletions,
     true, false, kNone, false},
    {"tgi", "tgi", 3000, "/generate_stream", "/generate", kTgi, false, false, kTgiInfo, false},
    {"openai", "openai", 8000, kCompletionsPath, kCompletionsPath, kCompletions, true, false,
     kV1Models, true},
    {"openai-chat", "openai", 8000, kChatPath, kChatPath, kChat, true, false, kV1Models, true},
}};

}  // namespace

std::string_view StyleName(Style style) {
  switch (style) {
    case kNative:
      return "native";
    case kCompletions:
      return "completions";
    case kChat:
      return "chat";
    case kTrt:
      return "trt";
    case kTgi:
      return "tgi";
  }
  return "?";
}

std::span<const BackendInfo> Backends() {
  return kBackends;
}

Expected<const BackendInfo*> FindBackend(std::string_view name) {
  std::string names;
  for (const BackendInfo& backend : kBackends) {
    if (backend.name == name) return &backend;
    if (!names.empty()) names += ", ";
    names += backend.name;
  }
  return MakeError("--backend: unknown backend '{}'; expected one of {}", name, names);
}

}  // namespace servebench::protocol
