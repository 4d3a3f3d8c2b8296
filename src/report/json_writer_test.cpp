#include "report/json_writer.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace servebench::report {
namespace {

TEST(JsonWriter, WritesPythonStyleSeparatorsAndNumbers) {
  JsonWriter w;
  w.BeginObject()
      .Key("a")
      .Int(1)
      .Key("b")
      .Double(4.0)
      .Key("c")
      .Double(8.888888888888889)
      .Key("d")
      .BeginArray()
      .Int(1)
      .Null()
      .Bool(true)
      .EndArray()
      .Key("e")
      .BeginObject()
      .EndObject()
      .Key("f")
      .Double(std::optional<double>{})
      .EndObject();
  EXPECT_EQ(
      w.str(),
      R"({"a": 1, "b": 4.0, "c": 8.88888888888889, "d": [1, null, true], "e": {}, "f": null})");
}

TEST(JsonWriter, EscapesStringsAndKeepsUtf8) {
  JsonWriter w;
  w.BeginArray().String("q\"b\\n\nt\t\x01 é").EndArray();
  EXPECT_EQ(w.str(), "[\"q\\\"b\\\\n\\nt\\t\\u0001 é\"]");
}

TEST(JsonWriter, InfinityStyles) {
  double inf = std::numeric_limits<double>::infinity();
  JsonWriter s;
  s.BeginArray().Double(inf).Double(std::nan("")).EndArray();
  EXPECT_EQ(s.str(), R"(["inf", null])");
  JsonWriter b(InfinityStyle::kBareToken);
  b.BeginArray().Double(inf).EndArray();
  EXPECT_EQ(b.str(), "[Infinity]");
}

TEST(PythonFloat, MatchesPythonRepr) {
  EXPECT_EQ(PythonFloat(2.0), "2.0");
  EXPECT_EQ(PythonFloat(0.1), "0.1");
  EXPECT_EQ(PythonFloat(1e16), "1e+16");
  EXPECT_EQ(PythonFloat(-3.5), "-3.5");
}

}  // namespace
}  // namespace servebench::report
