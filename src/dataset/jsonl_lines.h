// The lines of a JSONL dataset file (custom, openai): read once, blank lines skipped, each line
// handed out with its 1-based number for error messages, and padded as simdjson needs (the rest
// of the file and the buffer's padding follow every line).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/status.h"

namespace servebench::dataset {

struct JsonlLine {
  size_t number = 0;      // 1-based
  std::string_view text;  // without the newline
  size_t capacity = 0;    // bytes readable from text.data() (for simdjson's padding)
};

class JsonlFile {
 public:
  // `flag_path` is the path as the user gave it (errors name it).
  static Expected<JsonlFile> Read(const std::string& path);
  const std::vector<JsonlLine>& lines() const { return lines_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  simdjson::padded_string bytes_;
  std::vector<JsonlLine> lines_;
};

}  // namespace servebench::dataset
