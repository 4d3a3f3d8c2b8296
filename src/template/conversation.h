// A conversation to render: messages plus the optional tools and documents, read from JSON.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "template/value.h"

namespace servebench::tmpl {

struct Conversation {
  Value messages;                   // a list of {role, content, ...}
  Value tools = Value(None{});      // a list, or none
  Value documents = Value(None{});  // a list, or none
};

// Accepts a JSON list of messages, or an object {"messages": [...], "tools": [...],
// "documents": [...]} (tools and documents optional). `origin` names the input in errors.
Expected<Conversation> ParseConversation(std::string_view json, const std::string& origin);

}  // namespace servebench::tmpl
