#include "dataset/conversation_rows.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

constexpr std::string_view kAssistant = "Assistant:";
constexpr std::string_view kImageMarker = "<image 1>";

void RemoveAll(std::string& text, std::string_view what) {
  for (size_t at; (at = text.find(what)) != std::string::npos;)
    text.erase(at, what.size());
}

// --prompt-suffix, the image marker of custom rows, then --apply-chat-template (datasets.md §2).
Expected<std::string> PreparePrompt(const DatasetOptions& o, const DatasetContext& c,
                                    std::string_view text, bool has_image) {
  std::string prompt(text);
  if (has_image) RemoveAll(prompt, kImageMarker);
  if (!o.prompt_suffix.empty()) {
    if (std::string_view(prompt).ends_with(kAssistant))
      prompt.resize(prompt.size() - kAssistant.size());
    prompt += o.prompt_suffix;
    prompt += kAssistant;
  }
  if (o.apply_chat_template) return ApplyChatTemplate(*c.renderer, prompt);
  return prompt;
}

// The filter a pair fails, or "" (datasets.md §3).
std::string Rejection(const DatasetOptions& o, int64_t prompt_len, int64_t output_len) {
  bool fixed = o.sharegpt_output_len.has_value();
  switch (o.compat) {
    case Compat::kLmdeploy:
      if (prompt_len < 4) return "prompt_len < 4";
      if (output_len < 4) return "output_len < 4";
      if (prompt_len > 1024) return "prompt_len > 1024";
      if (!fixed && prompt_len + output_len > 2048) return "prompt_len + output_len > 2048";
      break;
    case Compat::kVllm:
      if (prompt_len < 4) return "prompt_len < 4";
      if (!fixed && output_len < 4) return "output_len < 4";
      if (prompt_len > 1024) return "prompt_len > 1024";
      if (prompt_len + output_len > 2048) return "prompt_len + output_len > 2048";
      break;
    case Compat::kNone:
    case Compat::kSglang:
      if (prompt_len < 2) return "prompt_len < 2";
      if (output_len < 2) return "output_len < 2";
      break;
  }
  if (o.sharegpt_context_len && prompt_len + output_len > *o.sharegpt_context_len) {
    return fmt::format("prompt_len + output_len > --sharegpt-context-len {}",
                       *o.sharegpt_context_len);
  }
  return "";
}

// Rounds of a session: the turns at even positions with the reply after each (datasets.md §15).
// A last user turn without a reply ends the session before it.
void FillRounds(const DatasetOptions& o, const DatasetContext& c,
                std::span<const std::string_view> turns, int64_t first_output_len,
                WorkloadRow& row) {
  size_t rounds = turns.size() / 2;
  if (o.max_turns) rounds = std::min(rounds, static_cast<size_t>(*o.max_turns));
  std::vector<std::string_view> replies;
  for (size_t r = 1; r < rounds; ++r)
    replies.push_back(turns[2 * r + 1]);
  std::vector<size_t> counts;
  if (!o.sharegpt_output_len) counts = c.codec.CountBatch(replies, true);
  for (size_t r = 0; r < rounds; ++r) {
    SessionRound round;
    round.user_text = std::string(turns[2 * r]);
    round.dataset_reply = std::string(turns[2 * r + 1]);
    // Not value_or: its argument would index `counts`, which is empty with a fixed length.
    if (r == 0) {
      round.output_len = first_output_len;
    } else if (o.sharegpt_output_len) {
      round.output_len = *o.sharegpt_output_len;
    } else {
      round.output_len = static_cast<int64_t>(counts[r - 1]);
    }
    row.rounds.push_back(std::move(round));
  }
}

}  // namespace

Expected<std::vector<WorkloadRow>> WalkConversations(const ConversationList& list,
                                                     const DatasetOptions& o,
                                                     const DatasetContext& c, DropReport& report) {
  if (o.apply_chat_template && c.renderer == nullptr && !o.multi_turn) {
    return MakeError("--apply-chat-template: the tokenizer has no chat template");
  }
  std::vector<size_t> order;
  order.reserve(list.turns.size());
  for (size_t i = 0; i < list.turns.size(); ++i) {
    if (list.turns[i].size() < 2) {
      report.Drop("with fewer than 2 turns");
    } else {
      order.push_back(i);
    }
  }
  if (!o.disable_shuffle) {
    load::RandomStream dataset(o.seed, load::kDatasetStream);
    dataset.Shuffle(std::span<size_t>(order));
  }
  auto image_of = [&](size_t i) -> const std::string& {
    static const std::string kNone;
    return list.images.empty() ? kNone : list.images[i];
  };

  const std::optional<int64_t> fixed = o.sharegpt_output_len;
  std::vector<WorkloadRow> rows;
  size_t pos = 0;
  while (rows.size() < o.num_prompts && pos < order.size()) {
    size_t missing = o.num_prompts - rows.size();
    size_t block = std::min(order.size() - pos, missing + missing / 4 + 16);
    // Multi-turn rounds are sent as chat messages: the first user turn is counted as it is.
    std::vector<std::string> prompts(block);
    std::vector<std::string_view> texts(block);
    for (size_t k = 0; k < block; ++k) {
      size_t i = order[pos + k];
      if (o.multi_turn) {
        texts[k] = list.turns[i][0];
        continue;
      }
      auto prompt = PreparePrompt(o, c, list.turns[i][0], !image_of(i).empty());
      if (!prompt) return std::unexpected(prompt.error());
      prompts[k] = std::move(*prompt);
      texts[k] = prompts[k];
    }
    if (!fixed) {
      for (size_t k = 0; k < block; ++k)
        texts.push_back(list.turns[order[pos + k]][1]);
    }
    std::vector<size_t> counts = c.codec.CountBatch(texts, true);
    for (size_t k = 0; k < block && rows.size() < o.num_prompts; ++k) {
      ++report.examined;
      size_t i = order[pos + k];
      int64_t prompt_len = static_cast<int64_t>(counts[k]);
      int64_t output_len = fixed ? *fixed : static_cast<int64_t>(counts[block + k]);
      std::string reason = Rejection(o, prompt_len, output_len);
      if (!reason.empty()) {
        report.Drop(reason);
        continue;
      }
      WorkloadRow row;
      row.prompt_len = prompt_len;
      row.text_prompt_len = prompt_len;
      row.output_len = output_len;
      if (!image_of(i).empty()) {
        row.images.push_back(image_of(i));
        if (o.vision_tokens_per_image) {
          row.vision_prompt_len = *o.vision_tokens_per_image;
          row.prompt_len += row.vision_prompt_len;
        } else {
          row.vision_from_server = true;
        }
      }
      if (!list.timestamps_ms.empty()) row.timestamp_ms = list.timestamps_ms[i];
      if (o.multi_turn) {
        FillRounds(o, c, list.turns[i], output_len, row);
      } else if (o.tokenize_prompt) {
        row.prompt_ids = c.codec.Encode(prompts[k], true);
      } else {
        row.prompt_text = std::move(prompts[k]);
      }
      rows.push_back(std::move(row));
    }
    pos += block;
  }
  return rows;
}

}  // namespace servebench::dataset
