// One chat message as datasets produce it and request bodies send it; shared by src/dataset/
// (rows of chat datasets, multi-turn history) and src/protocol/ (the `messages` array).
#pragma once

#include <string>

namespace servebench {

struct ChatMessage {
  std::string role;
  std::string content;           // text, or compact JSON when content_is_json
  bool content_is_json = false;  // e.g. an array of content parts from an OpenAI-format row
};

}  // namespace servebench
