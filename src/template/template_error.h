// The failure a template raises while parsing or rendering.
//
// Inside the interpreter errors travel as this exception (a tree walker would otherwise check a
// result at every node); ChatTemplate catches it and returns it as an Error value, so it never
// leaves the module.
#pragma once

#include <string>

namespace servebench::tmpl {

struct TemplateError {
  std::string message;
};

[[noreturn]] inline void Fail(std::string message) {
  throw TemplateError{std::move(message)};
}

}  // namespace servebench::tmpl
