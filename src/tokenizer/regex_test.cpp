#include "tokenizer/regex.h"

#include <gtest/gtest.h>

namespace servebench::tokenizer {
namespace {

std::vector<std::string> Matches(const std::string& pattern, std::string_view text) {
  auto regex = Regex::Compile(pattern);
  EXPECT_TRUE(regex) << regex.error().message;
  std::vector<Match> found;
  regex->FindAll(text, found);
  std::vector<std::string> out;
  for (const Match& m : found)
    out.emplace_back(text.substr(m.begin, m.end - m.begin));
  return out;
}

TEST(Regex, WhitespaceIncludesNextLineAsOniguruma) {
  EXPECT_EQ(OnigToPcre2(R"(\s+|[^\s\p{L}])"), R"([\s\x{85}]+|[^\s\x{85}\p{L}])");
  EXPECT_EQ(OnigToPcre2(R"(\S[\]\s])"), R"([^\s\x{85}][\]\s\x{85}])");
  EXPECT_EQ(Matches(R"(\s+)", "a\xC2\x85 b"), std::vector<std::string>{"\xC2\x85 "});
  EXPECT_EQ(Matches(R"(\S+)",
                    "a\xC2\x85"
                    "b"),
            (std::vector<std::string>{"a", "b"}));
}

TEST(Regex, UnicodeClassesAndCaseInsensitiveGroups) {
  EXPECT_EQ(Matches(R"((?i:'s|'t)|\p{L}+|\p{N})", "IT'S 12 héllo"),
            (std::vector<std::string>{"IT", "'S", "1", "2", "héllo"}));
}

TEST(Regex, EmptyMatchesAdvanceOneCharacter) {
  EXPECT_EQ(Matches("x*", "ab"), (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(Matches("x*", "é"), (std::vector<std::string>{"", ""}));
}

TEST(Regex, BadPatternNamesItself) {
  auto regex = Regex::Compile("(a");
  ASSERT_FALSE(regex);
  EXPECT_EQ(regex.error().message.rfind("regex '(a' does not compile at offset 2", 0), 0u)
      << regex.error().message;
}

}  // namespace
}  // namespace servebench::tokenizer
