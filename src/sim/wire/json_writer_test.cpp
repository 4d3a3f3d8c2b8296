#include "sim/wire/json_writer.h"

#include <gtest/gtest.h>

namespace servebench::sim {
namespace {

std::string Compact(std::string_view s) {
  std::string out;
  AppendJsonString(s, out);
  return out;
}

std::string Ascii(std::string_view s) {
  std::string out;
  AppendJsonStringAscii(s, out);
  return out;
}

TEST(JsonWriter, CompactEscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(Compact("a\"b\\c\n\r\t\b\f"), R"("a\"b\\c\n\r\t\b\f")");
  EXPECT_EQ(Compact(std::string_view("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Compact("caf\xc3\xa9 \xf0\x9f\x98\x80 /"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80 /\"");
  EXPECT_EQ(Compact(""), "\"\"");
}

TEST(JsonWriter, AsciiStyleEscapesLikePythonJsonDumps) {
  EXPECT_EQ(Ascii("caf\xc3\xa9"), R"("caf\u00e9")");
  EXPECT_EQ(Ascii("\xe4\xb8\xad"), R"("\u4e2d")");
  EXPECT_EQ(Ascii("\xf0\x9f\x98\x80"), R"("\ud83d\ude00")");
  EXPECT_EQ(Ascii("\x7f\n\""), R"("\u007f\n\"")");
}

TEST(JsonWriter, InvalidUtf8PassesThroughUnchanged) {
  const std::string bad = "a\xff\xfe b\xc3 \xed\xa0\x80 \xf0\x9f";  // stray, truncated, surrogate
  EXPECT_EQ(Compact(bad), "\"" + bad + "\"");
  EXPECT_EQ(Ascii(bad), "\"" + bad + "\"");
}

TEST(JsonWriter, NumbersAsPythonAndSerdeWriteThem) {
  std::string out;
  AppendDouble(0.0712, out);
  out += ' ';
  AppendDouble(1.0, out);
  out += ' ';
  AppendFloat(-0.0917f, out);
  out += ' ';
  AppendFloat(0.0f, out);
  out += ' ';
  AppendInt(-1234567890123, out);
  EXPECT_EQ(out, "0.0712 1.0 -0.0917 0.0 -1234567890123");
}

TEST(JsonWriter, SeparatorsInBothStyles) {
  int ids[] = {1, 2};
  std::string compact, spaced;
  for (auto [style, out] : {std::pair{kCompact, &compact}, std::pair{kPython, &spaced}}) {
    JsonOut j(*out, style);
    j.Open().Str("a", "x").Key("b").OpenArray().Open().Close().Ints(ids).OpenArray().CloseArray();
    j.CloseArray().Null("c").StrOrNull("d", "").Key("e").Bool(true).Close();
  }
  EXPECT_EQ(compact, R"({"a":"x","b":[{},[1,2],[]],"c":null,"d":null,"e":true})");
  EXPECT_EQ(spaced, R"({"a": "x", "b": [{}, [1, 2], []], "c": null, "d": null, "e": true})");
}

}  // namespace
}  // namespace servebench::sim
