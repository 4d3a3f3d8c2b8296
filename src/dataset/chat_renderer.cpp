#include "dataset/chat_renderer.h"

namespace servebench::dataset {

Expected<std::string> ApplyChatTemplate(const ChatRenderer& renderer, std::string_view prompt) {
  ChatMessage user{"user", std::string(prompt)};
  return RenderPrompt(renderer, std::span<const ChatMessage>(&user, 1));
}

Expected<std::string> RenderPrompt(const ChatRenderer& renderer,
                                   std::span<const ChatMessage> messages) {
  auto rendered = renderer.Render(messages);
  if (!rendered) return rendered;
  std::string bos = renderer.BosText();
  if (bos.empty()) return rendered;
  std::string out;
  out.reserve(rendered->size());
  size_t at = 0;
  for (size_t hit; (hit = rendered->find(bos, at)) != std::string::npos; at = hit + bos.size())
    out.append(*rendered, at, hit - at);
  out.append(*rendered, at);
  return out;
}

}  // namespace servebench::dataset
