// What a request body is built from: one dataset row (RequestInput) and the run's options
// (RequestOptions). See spec/protocols.md §3 and §4.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/chat_message.h"
#include "protocol/backend.h"
#include "protocol/json_text.h"

namespace servebench::protocol {

using servebench::ChatMessage;

enum class PromptKind { kText, kTokenIds, kMessages };

struct RequestInput {
  PromptKind kind = PromptKind::kText;
  std::string text;                   // kText
  std::vector<int32_t> token_ids;     // kTokenIds (--tokenize-prompt, random-ids)
  std::vector<ChatMessage> messages;  // kMessages (OpenAI-format rows, multi-turn history)
  int64_t output_len = 0;             // O, requested output tokens
  std::vector<std::string> images;    // data URIs or URLs
  JsonObject extra_body;              // the row's own extra body (step 4 of §3)
  bool multi_turn = false;            // a round of a multi-turn conversation
  std::string lora_name;              // adapter chosen for this request; empty = none
};

enum class MaxTokensField { kMaxCompletionTokens, kMaxTokens, kBoth };

struct RequestOptions {
  std::string model;  // M: served model name, model, or auto-detected
  bool stream = true;
  Compat compat = Compat::kNone;

  std::optional<double> temperature;  // unset: 0.0 (--compat vllm: omitted on OpenAI styles)
  double top_p = 1.0;                 // sent when < 1
  std::optional<int64_t> top_k;
  std::optional<double> min_p;
  std::optional<double> frequency_penalty;
  std::optional<double> presence_penalty;
  std::optional<double> repetition_penalty;

  bool disable_ignore_eos = false;  // --disable-ignore-eos
  bool ignore_eos = false;          // --ignore-eos (strict backends)
  bool synthetic_dataset = false;   // random, random-ids or image: strict backends ignore EOS

  bool no_usage_request = false;  // --no-usage-request
  bool continuous_usage = false;  // --continuous-usage
  MaxTokensField max_tokens_field = MaxTokensField::kMaxCompletionTokens;

  bool return_logprob = false;             // --return-logprob
  int64_t top_logprobs_num = 0;            // --top-logprobs-num
  std::vector<int64_t> token_ids_logprob;  // --token-ids-logprob (sent when non-empty)
  int64_t logprob_start_len = -1;          // --logprob-start-len
  std::optional<int64_t> logprobs;         // --logprobs (vLLM)
  // --cache-report on SGLang's OpenAI routes: ask for sglext.cached_tokens_details.
  bool return_cached_tokens_details = false;

  JsonObject extra_body;  // --extra-request-body, parsed once with ParseJsonObject
};

}  // namespace servebench::protocol
