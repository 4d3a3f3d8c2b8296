// Bad templates fail with a message naming where and what, as values, never as a crash.
#include <gtest/gtest.h>

#include "template/chat_template.h"
#include "template/json_value.h"

namespace servebench::tmpl {
namespace {

Value Messages() {
  return *ParseJson(
      R"([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}])");
}

std::string SyntaxError(std::string_view source) {
  auto t = ChatTemplate::Parse(source);
  return t ? "(parsed)" : t.error().message;
}

std::string RenderError(std::string_view source) {
  auto t = ChatTemplate::Parse(source);
  if (!t) return "(syntax) " + t.error().message;
  auto out = t->render(Messages());
  return out ? "(rendered) " + *out : out.error().message;
}

TEST(SyntaxErrors, NameLineAndColumn) {
  EXPECT_EQ(SyntaxError("line one\n  {{ 1 + }}"),
            "chat template syntax error: line 2, column 10: Expected an expression, got end of "
            "print statement");
  EXPECT_EQ(SyntaxError("{% if x %}\nopen"),
            "chat template syntax error: line 2, column 5: unexpected end of template, expected "
            "'elif' or 'else' or 'endif'");
  EXPECT_EQ(SyntaxError("a\nb {% frobnicate %}"),
            "chat template syntax error: line 2, column 6: Encountered unknown tag 'frobnicate'.");
  EXPECT_EQ(SyntaxError("{{ 'abc }}"),
            "chat template syntax error: line 1, column 4: unterminated string literal");
  EXPECT_EQ(SyntaxError("x {# never closed"),
            "chat template syntax error: line 1, column 3: Missing end of comment tag");
  EXPECT_EQ(SyntaxError("{{ (1 + 2 }}"),
            "chat template syntax error: line 1, column 11: unexpected '}', expected ')'");
  EXPECT_EQ(SyntaxError("{{ x | nosuchfilter }}"),
            "chat template syntax error: line 1, column 8: No filter named 'nosuchfilter'.");
  EXPECT_EQ(SyntaxError("{{ x is nosuchtest }}"),
            "chat template syntax error: line 1, column 9: No test named 'nosuchtest'.");
  EXPECT_EQ(SyntaxError("{% break %}"),
            "chat template syntax error: line 1, column 4: 'break' outside of a loop");
  EXPECT_EQ(SyntaxError("{{ a $ b }}"),
            "chat template syntax error: line 1, column 6: unexpected char '$'");
  EXPECT_EQ(SyntaxError("{% for x in y %}{% endif %}"),
            "chat template syntax error: line 1, column 20: Encountered unknown tag 'endif'.");
  EXPECT_EQ(SyntaxError("{% raw %}never closed"),
            "chat template syntax error: line 1, column 1: Missing end of raw directive");
}

TEST(RuntimeErrors, CarryTheTemplatesMessage) {
  EXPECT_EQ(RenderError("ok\n{% if messages|length > 1 %}{{ raise_exception('Only one message "
                        "allowed, got ' ~ messages|length) }}{% endif %}"),
            "chat template error: line 2: Only one message allowed, got 2");
  EXPECT_EQ(RenderError("{{ messages[0].content() }}"),
            "chat template error: line 1: 'str' object is not callable");
  EXPECT_EQ(RenderError("{{ undefined_thing.attr }}"),
            "chat template error: line 1: 'undefined_thing' is undefined");
  EXPECT_EQ(RenderError("{{ messages[0].nope.deeper }}"),
            "chat template error: line 1: 'dict object' has no attribute 'nope'");
  EXPECT_EQ(RenderError("{{ 1 + 'a' }}"),
            "chat template error: line 1: unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_EQ(RenderError("{{ 1 // 0 }}"),
            "chat template error: line 1: integer division or modulo by zero");
  EXPECT_EQ(RenderError("{% set l = [] %}{{ l.append(1) }}"),
            "chat template error: line 1: access to attribute 'append' of 'list' object is "
            "unsafe.");
  EXPECT_EQ(RenderError("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}"),
            "chat template error: line 1: macro 'm' takes not more than 1 argument(s)");
  EXPECT_EQ(RenderError("{{ none | length }}"),
            "chat template error: line 1: object of type 'NoneType' has no len()");
  EXPECT_EQ(RenderError("{{ x | tojson }}"),
            "chat template error: line 1: Object of type Undefined is not JSON serializable");
}

TEST(RuntimeErrors, LeaveNoStateBehind) {
  auto t = ChatTemplate::Parse(
      "{% macro boom(n) %}{{ raise_exception('x') if n == 0 else boom(n - 1) }}{% endmacro %}"
      "{% if add_generation_prompt %}{{ boom(3) }}{% endif %}ok");
  ASSERT_TRUE(t.has_value());
  RenderOptions fail;
  fail.add_generation_prompt = true;
  EXPECT_FALSE(t->render(Messages(), fail).has_value());
  // Parsed once, rendered again after a failure: nothing lingers.
  EXPECT_EQ(t->render(Messages()).value_or("error"), "ok");
}

}  // namespace
}  // namespace servebench::tmpl
