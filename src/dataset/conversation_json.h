// One conversation object read with simdjson On-Demand, shared by the ShareGPT file and the
// custom JSONL loader: `{"conversations": [{"value": "..."}, ...]}` (or `conversation`; the text
// field names are the caller's).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace servebench::dataset {

enum class ConversationProblem {
  kNone,
  kNotObject,      // the element is not a JSON object
  kNoTurns,        // no `conversations` / `conversation` array
  kTurnNotObject,  // a turn that is not an object
  kMissingText,    // a turn without any of the text fields
  kNonStringText,  // a turn whose text is not a string
  kInvalidJson,    // the JSON itself is broken: `error` says how
};

// A short phrase for the drop report ("turn text not a string").
std::string_view ProblemText(ConversationProblem problem);

struct ConversationRead {
  ConversationProblem problem = ConversationProblem::kNone;
  simdjson::error_code error = simdjson::SUCCESS;  // with kInvalidJson
  size_t turns = 0;                                // every turn, also past max_texts
};

// Appends the texts of the first `max_texts` turns of `element` to `texts` (unescaped into the
// parser's buffer). On a problem the texts appended so far are left for the caller to drop.
template <typename Value>
ConversationRead ReadConversation(Value&& element, std::initializer_list<std::string_view> fields,
                                  size_t max_texts, std::vector<std::string_view>& texts);

}  // namespace servebench::dataset

#include "dataset/conversation_json_inl.h"
