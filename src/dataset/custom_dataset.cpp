#include "dataset/custom_dataset.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "common/base64.h"
#include "dataset/conversation_json.h"
#include "dataset/conversation_rows.h"
#include "dataset/jsonl_lines.h"

namespace servebench::dataset {

namespace fs = std::filesystem;

namespace {

std::string_view Expectation(ConversationProblem problem) {
  switch (problem) {
    case ConversationProblem::kNotObject:
      return "expected a JSON object";
    case ConversationProblem::kNoTurns:
      return "expected a \"conversations\" array";
    case ConversationProblem::kTurnNotObject:
      return "expected every turn to be an object";
    case ConversationProblem::kMissingText:
      return "field content/value: expected in every turn";
    case ConversationProblem::kNonStringText:
      return "field content/value: expected a string";
    case ConversationProblem::kInvalidJson:
    case ConversationProblem::kNone:
      break;
  }
  return "expected one JSON object";
}

// One line's conversation: its texts (copied: the parser's buffer is reused line by line) and
// its image's data URI, or an error naming file:line.
struct Line {
  std::vector<std::string> texts;
  std::string image;
  std::optional<double> timestamp_ms;  // `timestamp` in ms (load.md §6, --use-trace-timestamps)
};

Expected<Line> ReadLine(simdjson::ondemand::parser& parser, const JsonlFile& file,
                        const JsonlLine& line, size_t max_texts) {
  std::string where = fmt::format("{}:{}", file.path(), line.number);
  simdjson::ondemand::document doc;
  auto invalid = [&](simdjson::error_code e) {
    return MakeError("{}: expected one JSON object ({})", where, simdjson::error_message(e));
  };
  if (auto e = parser.iterate(line.text.data(), line.text.size(), line.capacity).get(doc); e) {
    return invalid(e);
  }
  std::vector<std::string_view> views;
  ConversationRead read = ReadConversation(doc, {"content", "value"}, max_texts, views);
  if (read.problem == ConversationProblem::kInvalidJson) return invalid(read.error);
  if (read.problem != ConversationProblem::kNone) {
    return MakeError("{}: {}", where, Expectation(read.problem));
  }
  Line out;
  out.texts.assign(views.begin(), views.end());
  // The image field, read in a second pass over the same line.
  doc.rewind();
  simdjson::ondemand::object object;
  if (auto e = doc.get_object().get(object); e) return invalid(e);
  simdjson::ondemand::value image;
  auto e = object.find_field_unordered("image").get(image);
  if (e == simdjson::SUCCESS) {
    std::string_view image_path;
    if (image.get_string().get(image_path) != simdjson::SUCCESS) {
      return MakeError("{}: field image: expected a file path string", where);
    }
    fs::path p(image_path);
    if (p.is_relative()) p = fs::path(file.path()).parent_path() / p;
    auto uri = ImageFileDataUri(p.string(), where);
    if (!uri) return std::unexpected(uri.error());
    out.image = std::move(*uri);
  } else if (e != simdjson::NO_SUCH_FIELD) {
    return invalid(e);
  }
  simdjson::ondemand::value timestamp;
  e = object.find_field_unordered("timestamp").get(timestamp);
  if (e == simdjson::SUCCESS) {
    double ms = 0;
    if (timestamp.get_double().get(ms) != simdjson::SUCCESS) {
      return MakeError("{}: field timestamp: expected a number of milliseconds", where);
    }
    out.timestamp_ms = ms;
  } else if (e != simdjson::NO_SUCH_FIELD) {
    return invalid(e);
  }
  return out;
}

}  // namespace

Expected<std::string> ImageFileDataUri(const std::string& path, const std::string& where) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string mime;
  if (ext == ".jpg" || ext == ".jpeg") {
    mime = "image/jpeg";
  } else if (ext == ".png") {
    mime = "image/png";
  } else if (ext == ".webp") {
    mime = "image/webp";
  } else if (ext == ".gif") {
    mime = "image/gif";
  } else {
    return MakeError("{}: image {}: expected a .jpg, .jpeg, .png, .webp or .gif file", where, path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("{}: image {}: cannot read the file", where, path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return "data:" + mime + ";base64," + Base64Encode(bytes.str());
}

Expected<DatasetResult> BuildCustom(const DatasetOptions& o, const DatasetContext& c) {
  if (o.path.empty()) {
    return MakeError("--dataset-path: --dataset-name custom needs a JSONL file of conversations");
  }
  if (o.tokenize_prompt) {
    return MakeError("--tokenize-prompt: not available with --dataset-name custom");
  }
  if (o.multi_turn && !o.chat_backend) {
    return MakeError("--multi-turn: backend {} does not send chat messages (use a chat backend)",
                     o.backend);
  }
  auto file = JsonlFile::Read(o.path);
  if (!file) return std::unexpected(file.error());
  DatasetResult result;
  result.report.source = o.path;
  size_t max_texts = o.multi_turn ? std::numeric_limits<size_t>::max() : 2;
  simdjson::ondemand::parser parser;
  std::vector<Line> lines;
  for (const JsonlLine& line : file->lines()) {
    ++result.report.read;
    auto read = ReadLine(parser, *file, line, max_texts);
    if (!read) {
      if (!o.skip_invalid_lines) return std::unexpected(read.error());
      result.report.Drop("invalid lines");
      continue;
    }
    lines.push_back(std::move(*read));
  }
  bool any_image =
      std::any_of(lines.begin(), lines.end(), [](const Line& l) { return !l.image.empty(); });
  if (any_image && !o.image_backend) {
    return MakeError(
        "--backend {}: the custom dataset has image rows, which only sglang, sglang-native, "
        "sglang-oai-chat, vllm-chat, lmdeploy-chat and openai-chat can carry",
        o.backend);
  }
  std::vector<std::vector<std::string_view>> views(lines.size());
  bool any_timestamp = std::any_of(lines.begin(), lines.end(),
                                   [](const Line& l) { return l.timestamp_ms.has_value(); });
  ConversationList list;
  for (size_t i = 0; i < lines.size(); ++i) {
    views[i].assign(lines[i].texts.begin(), lines[i].texts.end());
    list.turns.push_back(views[i]);
    if (any_image) list.images.push_back(lines[i].image);
    if (any_timestamp) list.timestamps_ms.push_back(lines[i].timestamp_ms);
  }
  auto rows = WalkConversations(list, o, c, result.report);
  if (!rows) return std::unexpected(rows.error());
  result.rows = std::move(*rows);
  return result;
}

}  // namespace servebench::dataset
