// Regular expressions of tokenizer.json (written for Oniguruma) run on PCRE2 with its JIT.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace servebench::tokenizer {

struct Match {
  uint32_t begin;
  uint32_t end;
};

class Regex {
 public:
  // Compiles an Oniguruma (Ruby syntax) pattern; the error names the pattern and the position.
  static Expected<Regex> Compile(std::string_view pattern);

  // Appends the non-overlapping matches in `text` (valid UTF-8), left to right. After an empty
  // match the search resumes one character later, as Oniguruma's iterator does.
  void FindAll(std::string_view text, std::vector<Match>& out) const;

 private:
  struct Code;
  std::shared_ptr<const Code> code_;
};

// Where PCRE2 and Oniguruma disagree on a pattern's meaning, rewrites it for PCRE2 (exposed for
// tests): with Unicode on, Oniguruma's \s also matches U+0085.
std::string OnigToPcre2(std::string_view pattern);

}  // namespace servebench::tokenizer
