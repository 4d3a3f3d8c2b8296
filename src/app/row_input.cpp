#include "app/row_input.h"

namespace servebench::app {

Status FillRequestInput(const dataset::WorkloadRow& row, protocol::RequestInput& input) {
  if (!row.rounds.empty()) {
    input.kind = protocol::PromptKind::kMessages;
    input.messages = {ChatMessage{"user", row.rounds.front().user_text}};
    input.multi_turn = true;
  } else if (!row.messages.empty()) {
    input.kind = protocol::PromptKind::kMessages;
    input.messages = row.messages;
  } else if (!row.prompt_ids.empty()) {
    input.kind = protocol::PromptKind::kTokenIds;
    input.token_ids = row.prompt_ids;
  } else {
    input.text = row.prompt_text;
  }
  input.images = row.images;
  if (!row.extra_body_json.empty()) {
    auto extra = protocol::ParseJsonObject(row.extra_body_json, "dataset row extra body");
    if (!extra) return std::unexpected(extra.error());
    input.extra_body = std::move(*extra);
  }
  return Ok();
}

bool IsSyntheticDataset(std::string_view name) {
  return name == "random" || name == "random-ids" || name == "image";
}

}  // namespace servebench::app
