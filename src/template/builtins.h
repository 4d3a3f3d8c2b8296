// The filters, tests and methods templates call, and the globals they see.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "template/ast.h"
#include "template/value.h"

namespace servebench::tmpl {

// Evaluated arguments of a call: positional then keyword, in source order.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;

  // The argument at `index` or named `name`; `fallback` when neither was given.
  Value Get(size_t index, std::string_view name, Value fallback = Value()) const;
  bool Has(size_t index, std::string_view name) const;
};

bool HasFilter(std::string_view name);
bool HasTest(std::string_view name);

// `value | name(args)`. Throws TemplateError on a wrong argument.
Value ApplyFilter(std::string_view name, const Value& value, CallArgs& args, Renderer& renderer);
// `value is name(args)`.
bool ApplyTest(std::string_view name, const Value& value, const CallArgs& args);
// `value.name`, where Python would find a method (str.strip, dict.items, ...): a bound callable,
// or an undefined value when the type has no such method.
Value BoundMethod(const Value& self, const std::string& name);

// range, dict, namespace (raise_exception and strftime_now depend on render options).
Value GlobalFunction(std::string_view name);

// Python string helpers shared by filters, methods and the renderer.
size_t CodePointCount(std::string_view s);
std::vector<std::string> SplitCodePoints(std::string_view s);
std::string PyStrip(std::string_view s, const Value& chars, bool left, bool right);

}  // namespace servebench::tmpl
