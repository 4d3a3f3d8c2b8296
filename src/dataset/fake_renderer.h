// A chat template stand-in for dataset tests: "<s>[role]content" per message, then "[assistant]"
// (the generation prompt); "<s>" is the BOS text. Tools, when given, come first as
// "[tools]<json>".
#pragma once

#include <string>

#include "dataset/chat_renderer.h"

namespace servebench::dataset::testing {

class FakeRenderer : public ChatRenderer {
 public:
  Expected<std::string> Render(std::span<const ChatMessage> messages,
                               std::string_view tools_json = {}) const override {
    std::string out;
    if (!tools_json.empty()) out += "[tools]" + std::string(tools_json);
    for (const ChatMessage& m : messages)
      out += "<s>[" + m.role + "]" + m.content;
    return out + "[assistant]";
  }
  std::string BosText() const override { return "<s>"; }
};

}  // namespace servebench::dataset::testing
