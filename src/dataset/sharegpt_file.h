// A ShareGPT-format JSON file (spec/datasets.md §3) read with simdjson On-Demand: a JSON array
// whose elements hold a `conversations` (or `conversation`) array of turns, each turn's text
// under `value`. Only the texts asked for are unescaped; they stay in the parser's buffer, which
// the ShareGptFile keeps alive, so no text is copied.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dataset/dataset.h"

namespace servebench::dataset {

struct ShareGptFile {
  // Conversation i has turn_count[i] turns; the texts of its first min(turn_count, max_texts)
  // turns are texts[first[i] .. first[i + 1]).
  std::vector<std::string_view> texts;
  std::vector<size_t> first{0};
  std::vector<size_t> turn_count;
  std::shared_ptr<void> storage;  // the parser and document the texts point into

  size_t size() const { return turn_count.size(); }
  std::span<const std::string_view> Texts(size_t i) const {
    return {texts.data() + first[i], first[i + 1] - first[i]};
  }
};

// Reads `path`. Elements that are not objects, have no turn array, or whose read turns are not
// objects with a string under one of `text_fields` are left out and counted in `report`
// (report.read counts every element). A file that is not a JSON array, or not valid JSON, is an
// error naming the path and the byte offset. `max_texts` caps the turns whose text is read
// (every turn is still counted).
Expected<ShareGptFile> ReadShareGptFile(const std::string& path, size_t max_texts,
                                        DropReport& report);

}  // namespace servebench::dataset
