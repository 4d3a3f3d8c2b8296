// A HuggingFace chat template: a Jinja2 program parsed once and rendered for many
// conversations, with the output Python's jinja2 gives under transformers' settings.
//
//   auto tmpl = ChatTemplate::Parse(source, {{"bos_token", Value("<s>")}});
//   auto text = tmpl->render(messages, {.add_generation_prompt = true});
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "template/renderer.h"
#include "template/value.h"

namespace servebench::tmpl {

struct RenderOptions {
  bool add_generation_prompt = false;
  Value tools = Value(None{});  // transformers passes None when there are no tools
  Value documents = Value(None{});
  // Extra template variables (`--chat-template-kwargs`, e.g. enable_thinking).
  std::vector<std::pair<std::string, Value>> kwargs;
  // The local time `strftime_now` formats; the system clock when unset (tests inject one).
  std::function<std::tm()> now;
  RenderLimits limits;
};

class ChatTemplate {
 public:
  // Parses `source`; `variables` (the special tokens: bos_token, eos_token, ...) are visible to
  // every render. A syntax error names its line and column.
  static Expected<ChatTemplate> Parse(std::string_view source,
                                      std::vector<std::pair<std::string, Value>> variables = {});

  // Renders over `messages` (a list of {role, content, ...} dicts). Errors carry the line
  // and the template's own message (raise_exception) or the runtime failure.
  Expected<std::string> render(const Value& messages, const RenderOptions& options = {}) const;

 private:
  struct Parsed;
  explicit ChatTemplate(std::shared_ptr<const Parsed> parsed) : parsed_(std::move(parsed)) {}
  std::shared_ptr<const Parsed> parsed_;
};

}  // namespace servebench::tmpl
