#include "dataset/warmup_row.h"

namespace servebench::dataset {

WorkloadRow WarmupRow(const WorkloadRow& first) {
  WorkloadRow warm = first;
  const std::string& prompt =
      !first.warmup_prompt.empty() ? first.warmup_prompt : first.system_prompt;
  if (prompt.empty()) return warm;
  warm.rounds.clear();
  if (!first.messages.empty()) {
    warm.messages = {ChatMessage{"user", prompt}};
  } else {
    warm.prompt_text = prompt;
  }
  return warm;
}

}  // namespace servebench::dataset
