// Hostile templates stop with an error within fixed bounds: no crash, no hang, no exhausted
// stack or memory.
#include <random>

#include <gtest/gtest.h>

#include "template/chat_template.h"
#include "template/json_value.h"

namespace servebench::tmpl {
namespace {

Expected<std::string> Render(std::string_view source, RenderLimits limits = {}) {
  auto t = ChatTemplate::Parse(source);
  if (!t) return std::unexpected(t.error());
  RenderOptions options;
  options.limits = limits;
  return t->render(*ParseJson(R"([{"role": "user", "content": "hi"}])"), options);
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

TEST(HostileInput, DeepExpressionNestingIsASyntaxError) {
  auto parens = Render("{{ " + Repeat("(", 100000) + "1" + Repeat(")", 100000) + " }}");
  ASSERT_FALSE(parens.has_value());
  EXPECT_NE(parens.error().message.find("nested too deeply"), std::string::npos);
  auto lists = Render("{{ " + Repeat("[", 50000) + Repeat("]", 50000) + " }}");
  ASSERT_FALSE(lists.has_value());
  auto nots = Render("{{ " + Repeat("not ", 100000) + "x }}");
  ASSERT_FALSE(nots.has_value());
  auto minus = Render("{{ " + Repeat("-", 100000) + "1 }}");
  ASSERT_FALSE(minus.has_value());
  // Operator and filter chains parse in a loop but build deep trees, which evaluating and
  // freeing recurse through: they are bounded too.
  for (std::string chain :
       {"{{ x" + Repeat("|trim", 5000) + " }}", "{{ 1" + Repeat(" + 1", 100000) + " }}",
        "{{ x" + Repeat(".a", 100000) + " }}", "{{ f" + Repeat("()", 100000) + " }}",
        "{{ 1" + Repeat(" ~ 1", 100000) + " }}", "{{ x" + Repeat(" or x", 100000) + " }}"}) {
    auto r = Render(chain);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("nested too deeply"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(Render("{{ 1" + Repeat(" + 1", 200) + " }}").value_or("error"), "201");
  EXPECT_EQ(Render("{{ ' x '" + Repeat("|trim", 200) + " }}").value_or("error"), "x");
}

TEST(HostileInput, DeepBlockNestingIsASyntaxError) {
  auto ifs = Render(Repeat("{% if true %}", 50000) + Repeat("{% endif %}", 50000));
  ASSERT_FALSE(ifs.has_value());
  EXPECT_NE(ifs.error().message.find("nested too deeply"), std::string::npos);
  auto fine = Render(Repeat("{% if true %}", 50) + "deep" + Repeat("{% endif %}", 50));
  EXPECT_EQ(fine.value_or("error"), "deep");
}

TEST(HostileInput, HugeRangesAreRefusedAsJinja2sSandboxDoes) {
  auto r = Render("{% for i in range(1000000000) %}x{% endfor %}");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("Range too big"), std::string::npos);
  EXPECT_FALSE(Render("{{ range(-9223372036854775807, 9223372036854775807, 1) | length }}"));
}

TEST(HostileInput, NestedLoopsStopAtTheStepLimit) {
  // The default limit (5,000,000 steps) stops this within seconds; a small one shows the
  // mechanism without spending them.
  RenderLimits small;
  small.max_steps = 100000;
  auto r = Render(
      "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", small);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("exceeded 100000 steps"), std::string::npos);
}

TEST(HostileInput, UnboundedMacroRecursionStops) {
  auto r = Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("recursion"), std::string::npos);
  auto mutual = Render(
      "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}");
  EXPECT_FALSE(mutual.has_value());
  auto caller = Render(
      "{% macro m() %}{% call m() %}{% endcall %}{{ caller() }}{% endmacro %}"
      "{% call m() %}x{% endcall %}");
  EXPECT_FALSE(caller.has_value());
}

TEST(HostileInput, MacroRecursionThroughDeepExpressionsIsBounded) {
  // Each recursion level sits under a deep expression, so the stack grows by both.
  std::string deep = "f(n + 1)" + Repeat(" ~ 0", 250);
  auto r = Render("{% macro f(n) %}{{ " + deep + " }}{% endmacro %}{{ f(0) }}");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("expressions and macro calls nested too deeply"),
            std::string::npos)
      << r.error().message;
}

TEST(HostileInput, ValuesCannotNestWithoutBound) {
  for (std::string wrap : {"[ns.x]", "{'k': ns.x}", "(ns.x,)", "[ns.x.count]",
                           "namespace(inner=ns.x)", "({'k': ns.x} | items | list)"}) {
    auto r =
        Render("{% set ns = namespace(x=1) %}{% for i in range(100000) %}{% set ns.x = " + wrap +
               " %}{% endfor %}done");
    ASSERT_FALSE(r.has_value()) << wrap;
    EXPECT_NE(r.error().message.find("nested"), std::string::npos) << r.error().message;
  }
  auto shallow = Render(
      "{% set ns = namespace(x=1) %}{% for i in range(500) %}{% set ns.x = [ns.x] %}{% endfor %}"
      "{{ ns.x == ns.x }} {{ (ns.x | tojson) | length }}");
  EXPECT_EQ(shallow.value_or("error"), "True 1001");
}

TEST(HostileInput, OutputGrowthIsBounded) {
  RenderLimits small;
  small.max_output = 1 << 20;
  auto doubling = Render(
      "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
      "{% endfor %}{{ ns.s | length }}",
      small);
  ASSERT_FALSE(doubling.has_value());
  EXPECT_NE(doubling.error().message.find("exceeded"), std::string::npos);
  EXPECT_FALSE(Render("{{ 'x' * 10000000000 }}"));
  EXPECT_FALSE(Render("{{ [1, 2] * 100000000 }}"));
  EXPECT_FALSE(Render("{{ 'x' | center(9000000000) }}"));
}

TEST(HostileInput, IntegerOverflowIsAnErrorNotUndefinedBehaviour) {
  EXPECT_FALSE(Render("{{ 9223372036854775807 + 1 }}"));
  EXPECT_FALSE(Render("{{ 3 ** 100 }}"));
  EXPECT_FALSE(Render("{{ -(-9223372036854775807 - 1) }}"));
  EXPECT_FALSE(Render("{{ (-9223372036854775807 - 1) // -1 }}"));
  EXPECT_EQ(Render("{{ (-9223372036854775807 - 1) % -1 }}").value_or("error"), "0");
  EXPECT_FALSE(Render("{{ 99999999999999999999 }}"));
}

TEST(HostileInput, SelfReferencingNamespaceIsFreedAndPrintable) {
  // The namespace holds itself; printing it must stop, and the cycle must not leak (the
  // sanitizer build checks leaks).
  auto r = Render(
      "{% set ns = namespace() %}{% set ns.me = ns %}{{ ns.me.me.me is defined }} "
      "{{ ns == ns.me }} {{ ns == namespace() }}");
  EXPECT_EQ(r.value_or("error"), "True True False");
  EXPECT_FALSE(Render("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}"));
  EXPECT_FALSE(Render("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns | tojson }}"));
}

TEST(HostileInput, RandomBytesNeverCrash) {
  // A bounded fuzz of the lexer and parser with template-like fragments.
  const char* pieces[] = {"{{",       "}}",   "{%",  "%}", "{#",     "#}",    "-",    "+",
                          "(",        ")",    "[",   "]",  "{",      "}",     "'",    "\"",
                          "\\",       "if",   "for", "in", "endfor", "endif", "set",  "macro",
                          "endmacro", "call", "x",   "1",  "2.5",    "|",     "trim", " ",
                          "\n",       ".",    ",",   ":",  "is",     "not",   "raw",  "endraw",
                          "loop",     "=",    "*",   "**", "~",      "é",     "\r\n"};
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    std::string source;
    int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k)
      source += pieces[rng() % std::size(pieces)];
    (void)Render(source);  // any result but a crash or a hang is fine
  }
}

}  // namespace
}  // namespace servebench::tmpl
