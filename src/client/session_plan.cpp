#include "client/session_plan.h"

namespace servebench::client {

std::vector<ChatMessage> RoundHistory(std::span<const std::string_view> user_texts,
                                      std::span<const std::string_view> replies, size_t round) {
  std::vector<ChatMessage> messages;
  messages.reserve(2 * round + 1);
  for (size_t r = 0; r <= round && r < user_texts.size(); ++r) {
    messages.push_back({"user", std::string(user_texts[r]), false});
    if (r < round) {
      messages.push_back(
          {"assistant", r < replies.size() ? std::string(replies[r]) : std::string(), false});
    }
  }
  return messages;
}

}  // namespace servebench::client
