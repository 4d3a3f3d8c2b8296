// A split/replace pattern of tokenizer.json: {"String": "..."} (literal) or {"Regex": "..."}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tokenizer/json.h"
#include "tokenizer/regex.h"

namespace servebench::tokenizer {

class Pattern {
 public:
  static Expected<Pattern> Read(json::Element spec, const std::string& path);
  static Pattern Literal(std::string text);
  static Expected<Pattern> FromRegex(std::string_view regex);

  // Appends the non-overlapping matches in text, left to right.
  void FindAll(std::string_view text, std::vector<Match>& out) const;
  // `text` with every match replaced by `content`.
  std::string ReplaceAll(std::string_view text, std::string_view content) const;

 private:
  std::string literal_;
  std::optional<Regex> regex_;
};

// The "Replace" step of normalizers and decoders: {"pattern": ..., "content": "..."}.
struct Replacement {
  Pattern pattern;
  std::string content;

  static Expected<Replacement> Read(json::Object spec, const std::string& path);
  std::string Apply(std::string_view text) const { return pattern.ReplaceAll(text, content); }
};

}  // namespace servebench::tokenizer
