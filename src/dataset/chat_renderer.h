// What the datasets need from the model's chat template, and nothing more: the app adapts
// src/template's ChatTemplate (found next to the tokenizer files) to this interface, and tests
// use a small fake, so the builders never depend on the template engine.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/chat_message.h"
#include "common/status.h"

namespace servebench::dataset {

class ChatRenderer {
 public:
  virtual ~ChatRenderer() = default;
  // The template rendered over `messages` with the generation prompt added. `tools_json` is a
  // JSON array of tool definitions, or empty for none.
  virtual Expected<std::string> Render(std::span<const ChatMessage> messages,
                                       std::string_view tools_json = {}) const = 0;
  // The BOS token's text ("" when the tokenizer has none): --apply-chat-template removes every
  // occurrence from the rendered prompt, because the server adds BOS itself.
  virtual std::string BosText() const = 0;
};

// --apply-chat-template over one user prompt (datasets.md §2): the rendering of
// [{"role":"user","content":prompt}] with every BOS text removed.
Expected<std::string> ApplyChatTemplate(const ChatRenderer& renderer, std::string_view prompt);

// The rendering of `messages` (generation prompt added) with every BOS text removed: the prompt
// text servebench sends to or counts for a completions-style backend.
Expected<std::string> RenderPrompt(const ChatRenderer& renderer,
                                   std::span<const ChatMessage> messages);

}  // namespace servebench::dataset
