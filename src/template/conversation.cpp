#include "template/conversation.h"

#include "template/json_value.h"

namespace servebench::tmpl {

Expected<Conversation> ParseConversation(std::string_view json, const std::string& origin) {
  auto parsed = ParseJson(json);
  if (!parsed) return MakeError("{}: {}", origin, parsed.error().message);
  Conversation c;
  if (parsed->is_list()) {
    c.messages = *parsed;
  } else if (parsed->is_dict()) {
    const DictData& d = parsed->dict();
    const Value* messages = d.Find("messages");
    if (!messages || !messages->is_list()) {
      return MakeError("{}: expected a \"messages\" list", origin);
    }
    c.messages = *messages;
    for (const char* field : {"tools", "documents"}) {
      const Value* v = d.Find(field);
      if (!v || v->is_none()) continue;
      if (!v->is_list()) return MakeError("{}: \"{}\": expected a list", origin, field);
      (std::string_view(field) == "tools" ? c.tools : c.documents) = *v;
    }
  } else {
    return MakeError("{}: expected a list of messages or an object with \"messages\"", origin);
  }
  for (size_t i = 0; i < c.messages.list().items.size(); ++i) {
    if (!c.messages.list().items[i].is_dict()) {
      return MakeError("{}: messages[{}]: expected an object", origin, i);
    }
  }
  return c;
}

}  // namespace servebench::tmpl
