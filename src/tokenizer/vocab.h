// A model's vocabulary: token text <-> id, read from tokenizer.json's "vocab" object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tokenizer/json.h"
#include "tokenizer/string_id_map.h"

namespace servebench::tokenizer {

struct Vocab {
  std::vector<std::string> tokens;  // by id; ids without a token hold an empty string
  StringIdMap ids;

  std::optional<std::string_view> Token(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= tokens.size() || tokens[id].empty()) {
      return std::nullopt;
    }
    return tokens[id];
  }
  std::optional<int32_t> Id(std::string_view token) const {
    int32_t id = ids.Find(token);
    return id < 0 ? std::nullopt : std::optional<int32_t>(id);
  }
};

// Reads {"token": id, ...} at `path`.
Expected<Vocab> ReadVocabObject(json::Element spec, const std::string& path);

}  // namespace servebench::tokenizer
