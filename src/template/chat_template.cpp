#include "template/chat_template.h"

#include <fmt/format.h>

#include "template/ast.h"
#include "template/builtins.h"
#include "template/parser.h"
#include "template/template_error.h"

namespace servebench::tmpl {

struct ChatTemplate::Parsed {
  Body body;
  std::vector<std::pair<std::string, Value>> variables;
};

Expected<ChatTemplate> ChatTemplate::Parse(std::string_view source,
                                           std::vector<std::pair<std::string, Value>> variables) {
  auto parsed = std::make_shared<Parsed>();
  try {
    parsed->body = tmpl::Parse(source);
  } catch (const TemplateError& e) {
    return MakeError("chat template syntax error: {}", e.message);
  }
  parsed->variables = std::move(variables);
  return ChatTemplate(std::move(parsed));
}

namespace {

std::tm LocalNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

Value Builtin(std::string name, std::function<Value(CallArgs&, Renderer&)> call) {
  auto fn = std::make_shared<Function>();
  fn->name = std::move(name);
  fn->call = std::move(call);
  return Value(fn);
}

}  // namespace

Expected<std::string> ChatTemplate::render(const Value& messages,
                                           const RenderOptions& options) const {
  auto globals = std::make_shared<DictData>();
  for (const char* name : {"range", "dict", "namespace"})
    globals->Set(name, GlobalFunction(name));
  globals->Set("raise_exception",
               Builtin("raise_exception", [](CallArgs& args, Renderer&) -> Value {
                 Fail(ToStr(args.Get(0, "message")));
               }));
  auto now = options.now ? options.now : LocalNow;
  globals->Set("strftime_now", Builtin("strftime_now", [now](CallArgs& args, Renderer&) -> Value {
                 Value format = args.Get(0, "format");
                 if (!format.is_string()) Fail("strftime_now() argument must be str");
                 std::tm tm = now();
                 std::string out(256, '\0');
                 size_t n = std::strftime(out.data(), out.size(), format.as_string().c_str(), &tm);
                 if (n == 0 && !format.as_string().empty()) Fail("strftime_now: format too long");
                 out.resize(n);
                 return Value(std::move(out));
               }));
  // The order transformers uses: special tokens, then keyword arguments, then the named ones.
  for (const auto& [name, value] : parsed_->variables)
    globals->Set(name, value);
  for (const auto& [name, value] : options.kwargs)
    globals->Set(name, value);
  globals->Set("messages", messages);
  globals->Set("tools", options.tools);
  globals->Set("documents", options.documents);
  globals->Set("add_generation_prompt", Value(options.add_generation_prompt));

  Renderer renderer(globals, options.limits);
  try {
    return renderer.Render(parsed_->body);
  } catch (const TemplateError& e) {
    return MakeError("chat template error: {}", e.message);
  }
}

}  // namespace servebench::tmpl
