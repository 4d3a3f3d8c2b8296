// Template body of ReadConversation (conversation_json.h): instantiated for On-Demand values from
// an array iterator and for whole JSONL documents.
#pragma once

namespace servebench::dataset {

namespace conversation_json_detail {

inline bool IsDataProblem(simdjson::error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NO_SUCH_FIELD;
}

}  // namespace conversation_json_detail

template <typename Value>
ConversationRead ReadConversation(Value&& element, std::initializer_list<std::string_view> fields,
                                  size_t max_texts, std::vector<std::string_view>& texts) {
  using conversation_json_detail::IsDataProblem;
  ConversationRead read;
  auto fail = [&](simdjson::error_code e, ConversationProblem data_problem) {
    read.problem = IsDataProblem(e) ? data_problem : ConversationProblem::kInvalidJson;
    read.error = e;
    return read;
  };
  simdjson::ondemand::object object;
  if (auto e = element.get_object().get(object); e) {
    return fail(e, ConversationProblem::kNotObject);
  }
  simdjson::ondemand::array turns;
  auto e = object.find_field_unordered("conversations").get_array().get(turns);
  if (e == simdjson::NO_SUCH_FIELD) {
    e = object.find_field_unordered("conversation").get_array().get(turns);
  }
  if (e) return fail(e, ConversationProblem::kNoTurns);
  for (auto turn : turns) {
    if (read.turns >= max_texts || read.problem != ConversationProblem::kNone) {
      if (turn.error()) return fail(turn.error(), ConversationProblem::kInvalidJson);
      ++read.turns;
      continue;
    }
    ++read.turns;
    simdjson::ondemand::object turn_object;
    if (auto te = turn.get_object().get(turn_object); te) {
      if (!IsDataProblem(te)) return fail(te, ConversationProblem::kInvalidJson);
      read.problem = ConversationProblem::kTurnNotObject;
      continue;
    }
    ConversationProblem problem = ConversationProblem::kMissingText;
    for (std::string_view field : fields) {
      simdjson::ondemand::value value;
      auto fe = turn_object.find_field_unordered(field).get(value);
      if (fe == simdjson::NO_SUCH_FIELD) continue;
      if (fe) return fail(fe, ConversationProblem::kInvalidJson);
      std::string_view text;
      auto se = value.get_string().get(text);
      if (se == simdjson::INCORRECT_TYPE) {
        problem = ConversationProblem::kNonStringText;
      } else if (se) {
        return fail(se, ConversationProblem::kInvalidJson);
      } else {
        texts.push_back(text);
        problem = ConversationProblem::kNone;
      }
      break;
    }
    read.problem = problem;
  }
  return read;
}

}  // namespace servebench::dataset
