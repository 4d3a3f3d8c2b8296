#include "dataset/sharegpt_dataset.h"

#include <limits>

#include "dataset/conversation_rows.h"
#include "dataset/sharegpt_file.h"

namespace servebench::dataset {

Expected<DatasetResult> BuildShareGpt(const DatasetOptions& o, const DatasetContext& c,
                                      const SourceSettings& settings) {
  if (o.multi_turn && !o.chat_backend) {
    return MakeError(
        "--multi-turn: backend {} does not send chat messages (use a chat backend, e.g. "
        "openai-chat, vllm-chat, sglang-oai-chat, lmdeploy-chat)",
        o.backend);
  }
  auto path = LocateShareGpt(o.path, settings);
  if (!path) return std::unexpected(path.error());
  DatasetResult result;
  result.report.source = *path;
  size_t max_texts = o.multi_turn ? std::numeric_limits<size_t>::max() : 2;
  auto file = ReadShareGptFile(*path, max_texts, result.report);
  if (!file) return std::unexpected(file.error());
  ConversationList list;
  list.turns.reserve(file->size());
  for (size_t i = 0; i < file->size(); ++i)
    list.turns.push_back(file->Texts(i));
  auto rows = WalkConversations(list, o, c, result.report);
  if (!rows) return std::unexpected(rows.error());
  result.rows = std::move(*rows);
  return result;
}

Expected<std::vector<std::string>> LoadShareGptPrompts(const std::string& explicit_path,
                                                       const SourceSettings& settings,
                                                       DropReport& report) {
  auto path = LocateShareGpt(explicit_path, settings);
  if (!path) return std::unexpected(path.error());
  report.source = *path;
  auto file = ReadShareGptFile(*path, 2, report);
  if (!file) return std::unexpected(file.error());
  std::vector<std::string> prompts;
  prompts.reserve(file->size());
  for (size_t i = 0; i < file->size(); ++i) {
    if (file->turn_count[i] < 2) {
      report.Drop("with fewer than 2 turns");
      continue;
    }
    prompts.emplace_back(file->Texts(i)[0]);
  }
  return prompts;
}

}  // namespace servebench::dataset
