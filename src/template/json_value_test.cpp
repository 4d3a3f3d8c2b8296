// JSON in (key order, number kinds) and out (json.dumps' exact text).
#include "template/json_value.h"

#include <gtest/gtest.h>

#include "template/template_error.h"

namespace servebench::tmpl {
namespace {

std::string Dumps(std::string_view json, JsonOptions o = {}) {
  auto v = ParseJson(json);
  if (!v) return "error: " + v.error().message;
  return ToJson(*v, o);
}

TEST(Json, RoundTripsAsPythonJsonDumps) {
  EXPECT_EQ(Dumps(R"({"b": 1, "a": [1.0, 2.5, -0, 1e300, 1E-7, null, true, false, "x"]})"),
            R"({"b": 1, "a": [1.0, 2.5, 0, 1e+300, 1e-07, null, true, false, "x"]})");
  EXPECT_EQ(Dumps(R"({"k": {}, "l": [], "n": 12345678901234567890123})"),
            R"({"k": {}, "l": [], "n": 1.2345678901234568e+22})");
}

TEST(Json, KeepsDuplicateKeysLastValueFirstPosition) {
  EXPECT_EQ(Dumps(R"({"a": 1, "b": 2, "a": 3})"), R"({"a": 3, "b": 2})");
}

TEST(Json, StringEscapes) {
  EXPECT_EQ(Dumps(R"(["q\"b\\s\/n\nt\tc\u0001 é 🙂 \u2028"])"),
            "[\"q\\\"b\\\\s/n\\nt\\tc\\u0001 é 🙂 \u2028\"]");
  JsonOptions ascii;
  ascii.ensure_ascii = true;
  EXPECT_EQ(Dumps(R"(["é🙂"])", ascii), R"(["\u00e9\ud83d\ude42"])");
}

TEST(Json, IndentSeparatorsAndSortKeys) {
  JsonOptions o;
  o.indent = "  ";
  EXPECT_EQ(Dumps(R"({"b": [1, {"c": []}], "a": {}})", o),
            "{\n  \"b\": [\n    1,\n    {\n      \"c\": []\n    }\n  ],\n  \"a\": {}\n}");
  JsonOptions compact;
  compact.item_separator = ",";
  compact.key_separator = ":";
  compact.sort_keys = true;
  EXPECT_EQ(Dumps(R"({"b": 1, "a": [1, 2]})", compact), R"({"a":[1,2],"b":1})");
}

TEST(Json, RejectsBadInputWithAMessage) {
  EXPECT_FALSE(ParseJson("{\"a\": }").has_value());
  EXPECT_FALSE(ParseJson("[1, 2").has_value());
  EXPECT_FALSE(ParseJson("").has_value());
  EXPECT_THROW(ToJson(Value()), TemplateError);  // undefined is not JSON
}

}  // namespace
}  // namespace servebench::tmpl
