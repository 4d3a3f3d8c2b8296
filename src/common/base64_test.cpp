#include "common/base64.h"

#include <gtest/gtest.h>

namespace servebench {
namespace {

TEST(Base64, EncodesWithPaddingAndDecodesBack) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  auto back = Base64Decode(Base64Encode(bytes));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(*Base64Decode("Zm8"), "fo");  // padding optional
}

TEST(Base64, RejectsBadInput) {
  EXPECT_EQ(Base64Decode("Zm9v!A").error().message, "base64: unexpected character at offset 4");
  EXPECT_EQ(Base64Decode("Zm9vY").error().message, "base64: truncated (5 characters)");
}

}  // namespace
}  // namespace servebench
