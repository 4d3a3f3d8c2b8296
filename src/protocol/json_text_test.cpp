#include "protocol/json_text.h"

#include <gtest/gtest.h>

namespace servebench::protocol {
namespace {

TEST(JsonText, StringsEscapeOnlyWhatJsonRequires) {
  EXPECT_EQ(JsonString("Capital of France?"), "\"Capital of France?\"");
  EXPECT_EQ(JsonString("a\"b\\c\n\t\r\b\f"), R"("a\"b\\c\n\t\r\b\f")");
  EXPECT_EQ(JsonString(std::string_view("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(JsonString("café 😀 /"), "\"café 😀 /\"");  // raw UTF-8, "/" not escaped
  EXPECT_EQ(JsonString(std::string_view("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonText, DoublesAsPythonReprWritesThem) {
  EXPECT_EQ(JsonDouble(0.0), "0.0");
  EXPECT_EQ(JsonDouble(1.0), "1.0");
  EXPECT_EQ(JsonDouble(0.7), "0.7");
  EXPECT_EQ(JsonDouble(0.000001), "1e-06");
  EXPECT_EQ(JsonDouble(1e16), "1e+16");
  EXPECT_EQ(JsonDouble(1e15), "1000000000000000.0");
  EXPECT_EQ(JsonDouble(-2.5), "-2.5");
}

TEST(JsonText, ObjectUpdatesKeepFirstPositionLikePythonDicts) {
  JsonObject object;
  object.Set("a", "1");
  object.Set("b", "2");
  object.Set("a", "3");
  JsonObject other;
  other.Set("c", "4");
  other.Set("b", "\"x\"");
  object.Update(other);
  EXPECT_EQ(object.ToJson(), R"({"a":3,"b":"x","c":4})");
}

TEST(JsonText, ParseJsonObjectRewritesValuesCompactly) {
  auto parsed = ParseJsonObject(
      R"( { "chat_template_kwargs" : { "enable_thinking" : false },
           "stop": ["\u00e9", "a\"b"], "n": 2, "t": 1.0, "big": 18446744073709551615,
           "e": 1e5, "z": null } )",
      "--extra-request-body");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->ToJson(),
            R"({"chat_template_kwargs":{"enable_thinking":false},"stop":["é","a\"b"],"n":2,)"
            R"("t":1.0,"big":18446744073709551615,"e":100000.0,"z":null})");
}

TEST(JsonText, ParseJsonObjectErrorsNameTheSource) {
  auto not_object = ParseJsonObject("[1,2]", "--extra-request-body");
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error().message,
            "--extra-request-body: expected a JSON object such as {\"key\":1}, got [1,2]");
  auto bad = ParseJsonObject("{\"a\":", "--extra-body");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("--extra-body: not valid JSON"))
      << bad.error().message;
}

}  // namespace
}  // namespace servebench::protocol
