// Parses template source into statements (the grammar of jinja2 that chat templates use).
#pragma once

#include <string_view>

#include "template/ast.h"

namespace servebench::tmpl {

// Throws TemplateError "line L, column C: ..." on a syntax error, an unknown tag, filter or test
// (jinja2 rejects unknown filters and tests when compiling, before rendering), or nesting
// deeper than a fixed bound (so hostile input cannot exhaust the stack).
Body Parse(std::string_view source);

}  // namespace servebench::tmpl
