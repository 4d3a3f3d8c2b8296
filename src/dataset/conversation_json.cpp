#include "dataset/conversation_json.h"

namespace servebench::dataset {

std::string_view ProblemText(ConversationProblem problem) {
  switch (problem) {
    case ConversationProblem::kNone:
      return "";
    case ConversationProblem::kNotObject:
      return "not an object";
    case ConversationProblem::kNoTurns:
      return "without a conversations array";
    case ConversationProblem::kTurnNotObject:
      return "with a turn that is not an object";
    case ConversationProblem::kMissingText:
      return "with a turn without text";
    case ConversationProblem::kNonStringText:
      return "with a non-string turn text";
    case ConversationProblem::kInvalidJson:
      return "invalid JSON";
  }
  return "";
}

}  // namespace servebench::dataset
