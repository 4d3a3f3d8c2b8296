#include "dataset/jsonl_lines.h"

#include <filesystem>

namespace servebench::dataset {

Expected<JsonlFile> JsonlFile::Read(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError("--dataset-path {}: no such file", path);
  }
  JsonlFile file;
  file.path_ = path;
  if (auto e = simdjson::padded_string::load(path).get(file.bytes_); e) {
    return MakeError("--dataset-path {}: cannot read: {}", path, simdjson::error_message(e));
  }
  std::string_view all(file.bytes_.data(), file.bytes_.size());
  size_t capacity = file.bytes_.size() + simdjson::SIMDJSON_PADDING;
  size_t start = 0;
  for (size_t number = 1; start < all.size(); ++number) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::string_view text = all.substr(start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t\r") != std::string_view::npos) {
      file.lines_.push_back({number, text, capacity - start});
    }
    start = end + 1;
  }
  return file;
}

}  // namespace servebench::dataset
