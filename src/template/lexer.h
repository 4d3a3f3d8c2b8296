// Splits template source into tokens the way jinja2's lexer does with transformers' settings:
// trim_blocks and lstrip_blocks on, `-`/`+` whitespace modifiers, comments dropped, `raw`
// blocks kept as text, newlines normalised to "\n" and one trailing newline removed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace servebench::tmpl {

struct Token {
  enum class Type {
    kData,
    kVariableBegin,  // {{
    kVariableEnd,    // }}
    kBlockBegin,     // {%
    kBlockEnd,       // %}
    kName,
    kString,  // text holds the decoded value
    kInt,
    kFloat,
    kOperator,
    kEof,
  };
  Type type;
  std::string text;
  int line = 1;
  int column = 1;
};

// Throws TemplateError "line L, column C: ..." on malformed source (unclosed tag or string,
// unbalanced brackets, a character that starts no token).
std::vector<Token> Tokenize(std::string_view source);

// A description of a token for error messages: "end of print statement", "'foo'", ...
std::string Describe(const Token& token);

}  // namespace servebench::tmpl
