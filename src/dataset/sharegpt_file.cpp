#include "dataset/sharegpt_file.h"

#include <simdjson.h>

#include "dataset/conversation_json.h"

namespace servebench::dataset {

namespace {

struct Storage {
  simdjson::padded_string json;
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
};

size_t Offset(Storage& s) {
  const char* at = nullptr;
  if (s.doc.current_location().get(at) != simdjson::SUCCESS || at == nullptr) return s.json.size();
  return static_cast<size_t>(at - s.json.data());
}

}  // namespace

Expected<ShareGptFile> ReadShareGptFile(const std::string& path, size_t max_texts,
                                        DropReport& report) {
  auto storage = std::make_shared<Storage>();
  if (auto e = simdjson::padded_string::load(path).get(storage->json); e) {
    return MakeError("--dataset-path {}: cannot read: {}", path, simdjson::error_message(e));
  }
  auto invalid = [&](simdjson::error_code e) {
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      return MakeError(
          "--dataset-path {}: not valid JSON: the file ends at byte {} inside an unclosed array "
          "or object (truncated?)",
          path, storage->json.size());
    }
    return MakeError("--dataset-path {}: not valid JSON near byte {}: {}", path, Offset(*storage),
                     simdjson::error_message(e));
  };
  if (storage->json.size() == 0) return MakeError("--dataset-path {}: empty file", path);
  // Stage 1 errors (e.g. an unclosed string) come before there is a position to report.
  if (auto e = storage->parser.iterate(storage->json).get(storage->doc); e) {
    return MakeError("--dataset-path {}: not valid JSON: {}", path, simdjson::error_message(e));
  }
  simdjson::ondemand::array array;
  if (auto e = storage->doc.get_array().get(array); e) {
    if (e == simdjson::INCORRECT_TYPE) {
      return MakeError("--dataset-path {}: expected a JSON array of conversations at the top level",
                       path);
    }
    return invalid(e);
  }
  ShareGptFile file;
  for (auto element : array) {
    if (element.error()) return invalid(element.error());
    ++report.read;
    size_t before = file.texts.size();
    ConversationRead read = ReadConversation(element, {"value"}, max_texts, file.texts);
    if (read.problem == ConversationProblem::kInvalidJson) return invalid(read.error);
    if (read.problem != ConversationProblem::kNone) {
      file.texts.resize(before);
      report.Drop(ProblemText(read.problem));
      continue;
    }
    file.turn_count.push_back(read.turns);
    file.first.push_back(file.texts.size());
  }
  if (const char* rest = nullptr; storage->doc.current_location().get(rest) == simdjson::SUCCESS) {
    return MakeError("--dataset-path {}: unexpected content after the top-level array near byte {}",
                     path, Offset(*storage));
  }
  // The texts point into the parser's string buffer; the input itself is no longer needed.
  storage->json = simdjson::padded_string();
  file.storage = std::move(storage);
  return file;
}

}  // namespace servebench::dataset
