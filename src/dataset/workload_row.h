// One request's worth of workload (spec/datasets.md §1), built before the run. Every dataset
// yields these rows; the run turns each into a request body (or, for a multi-turn session, into
// one request per round).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/chat_message.h"

namespace servebench::dataset {

// One round of a multi-turn session (datasets.md §15).
struct SessionRound {
  std::string user_text;      // the round's user message
  int64_t output_len = 0;     // requested maximum output tokens of this round
  std::string dataset_reply;  // the dataset's own reply (--multi-turn-history dataset)
};

struct WorkloadRow {
  // The prompt is exactly one of: text (default), ids (prompt_ids non-empty), chat messages
  // (messages non-empty), or a multi-turn session (rounds non-empty).
  std::string prompt_text;
  std::vector<int32_t> prompt_ids;    // --tokenize-prompt, random-ids
  std::vector<ChatMessage> messages;  // openai / custom JSONL rows
  std::vector<SessionRound> rounds;   // multi-turn sessions
  std::vector<std::string> images;    // data URIs or URLs, in order

  int64_t prompt_len = 0;  // d: prompt tokens by the client tokenizer
  int64_t text_prompt_len = 0;
  int64_t vision_prompt_len = 0;
  bool vision_from_server = false;     // images without --vision-tokens-per-image: estimated after
                                       // the run from the server's prompt count (datasets.md §7)
  int64_t output_len = 0;              // requested maximum output tokens
  std::optional<double> timestamp_ms;  // trace time (mooncake, burstgpt, JSONL rows with one)
  std::string system_prompt;           // generated-shared-prefix: the group prefix
  std::string warmup_prompt;           // mooncake, row 0 only: the warmup's own prompt
  std::string routing_key;             // --gsp-send-routing-key
  std::string extra_body_json;         // per-row request fields as a JSON object (openai JSONL)
};

}  // namespace servebench::dataset
