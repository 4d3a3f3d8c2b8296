#include "app/run_sessions.h"

#include <cmath>

#include "app/compat_flags.h"
#include "dataset/tokenizer_adapters.h"
#include "protocol/request_body.h"

namespace servebench::app {

Expected<HistoryMode> ParseHistoryMode(std::string_view text) {
  if (text == "generated") return HistoryMode::kGenerated;
  if (text == "dataset") return HistoryMode::kDataset;
  return MakeError("--multi-turn-history: expected generated or dataset, got '{}'", text);
}

bool HasSessions(std::span<const dataset::WorkloadRow> rows) {
  for (const dataset::WorkloadRow& row : rows) {
    if (!row.rounds.empty()) return true;
  }
  return false;
}

Status CheckSessionBackend(const protocol::BackendInfo& backend) {
  if (backend.style == protocol::Style::kChat) return Ok();
  return MakeError(
      "--backend {}: multi-turn sessions need a chat backend (sglang-oai-chat, vllm-chat, "
      "lmdeploy-chat, openai-chat)",
      backend.name);
}

std::vector<ChatMessage> SessionRoundMessages(const dataset::WorkloadRow& row, size_t round,
                                              std::span<const std::string_view> generated,
                                              HistoryMode mode) {
  std::vector<std::string_view> users, dataset_replies;
  users.reserve(row.rounds.size());
  for (const dataset::SessionRound& r : row.rounds) {
    users.push_back(r.user_text);
    dataset_replies.push_back(r.dataset_reply);
  }
  std::span<const std::string_view> replies =
      mode == HistoryMode::kDataset ? std::span<const std::string_view>(dataset_replies)
                                    : generated;
  return client::RoundHistory(users, replies, round);
}

dataset::WorkloadRow FirstRoundRow(const dataset::WorkloadRow& row) {
  dataset::WorkloadRow first = row;
  if (!row.rounds.empty()) first.output_len = row.rounds.front().output_len;
  return first;
}

SessionBodies::SessionBodies(std::span<const dataset::WorkloadRow> rows,
                             const protocol::BackendInfo& backend,
                             const protocol::RequestOptions& options, HistoryMode mode,
                             std::span<const std::string> lora_names, std::span<const int32_t> lora)
    : rows_(rows),
      backend_(backend),
      options_(options),
      mode_(mode),
      lora_names_(lora_names),
      lora_(lora) {}

Expected<std::string> SessionBodies::Body(size_t row, size_t round,
                                          std::span<const std::string_view> replies) const {
  const dataset::WorkloadRow& r = rows_[row];
  protocol::RequestInput input;
  input.kind = protocol::PromptKind::kMessages;
  input.messages = SessionRoundMessages(r, round, replies, mode_);
  input.output_len = r.rounds[round].output_len;
  input.multi_turn = true;  // stream_options.include_usage in every mode (protocols.md §4)
  if (!r.extra_body_json.empty()) {
    auto extra = protocol::ParseJsonObject(r.extra_body_json, "extra body of row");
    if (!extra) return std::unexpected(extra.error());
    input.extra_body = std::move(*extra);
  }
  if (!lora_.empty()) input.lora_name = lora_names_[static_cast<size_t>(lora_[row])];
  return protocol::BuildRequestBody(backend_, input, options_);
}

client::SessionPlan MakeSessionPlan(std::span<const dataset::WorkloadRow> rows, double turn_gap_ms,
                                    const client::RoundBodies& bodies) {
  client::SessionPlan plan;
  plan.rounds.reserve(rows.size());
  for (const dataset::WorkloadRow& row : rows)
    plan.rounds.push_back(std::max<size_t>(row.rounds.size(), 1));
  plan.turn_gap_ns = std::llround(turn_gap_ms * 1e6);
  plan.bodies = &bodies;
  return plan;
}

std::vector<metrics::RequestRecord> MakeSessionRecords(std::span<const dataset::WorkloadRow> rows,
                                                       bool ignore_eos,
                                                       std::span<const int32_t> lora) {
  std::vector<metrics::RequestRecord> records;
  for (size_t s = 0; s < rows.size(); ++s) {
    for (size_t r = 0; r < rows[s].rounds.size(); ++r) {
      metrics::RequestRecord& record = records.emplace_back();
      record.index = static_cast<int64_t>(records.size() - 1);
      record.session = static_cast<int32_t>(s);
      record.round = static_cast<int32_t>(r);
      record.output_tokens_requested = rows[s].rounds[r].output_len;
      record.ignore_eos = ignore_eos;
      if (!lora.empty()) record.lora = lora[s];
    }
  }
  return records;
}

Status CountRoundPrompts(std::span<const dataset::WorkloadRow> rows,
                         std::span<metrics::RequestRecord> records, const std::vector<bool>& sent,
                         HistoryMode mode, const dataset::ChatRenderer* renderer,
                         const dataset::TokenCodec& codec) {
  // Every text to count, then one batch count (spread over threads by the run's codec).
  std::vector<std::string> texts;
  std::vector<size_t> owner;  // record of each text
  size_t i = 0;
  std::vector<std::string_view> generated;
  for (size_t s = 0; s < rows.size(); ++s) {
    generated.clear();
    for (size_t r = 0; r < rows[s].rounds.size(); ++r, ++i) {
      if (i >= records.size()) return MakeError("internal: fewer round records than rounds");
      if (i < sent.size() && sent[i]) {
        std::vector<ChatMessage> messages = SessionRoundMessages(rows[s], r, generated, mode);
        if (renderer != nullptr) {
          auto text = renderer->Render(messages);
          if (!text) {
            return MakeError("chat template over round {} of session {}: {}", r, s,
                             text.error().message);
          }
          texts.push_back(std::move(*text));
          owner.push_back(i);
        } else {
          for (ChatMessage& m : messages) {
            texts.push_back(std::move(m.content));
            owner.push_back(i);
          }
        }
      }
      const metrics::RequestRecord& done = records[i];
      generated.push_back(std::string_view(done.generated_text).substr(done.reasoning_bytes));
    }
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<size_t> counts = codec.CountBatch(views, /*add_special_tokens=*/false);
  for (size_t k = 0; k < counts.size(); ++k)
    records[owner[k]].prompt_tokens_dataset = 0;
  for (size_t k = 0; k < counts.size(); ++k)
    records[owner[k]].prompt_tokens_dataset += static_cast<int64_t>(counts[k]);
  return Ok();
}

Expected<std::unique_ptr<SessionSetup>> PrepareSessions(const RunFlags& f, const Prepared& p,
                                                        PhaseWork& measured) {
  auto mode = ParseHistoryMode(f.multi_turn_history);
  if (!mode) return std::unexpected(mode.error());
  std::span<const dataset::WorkloadRow> rows = p.workload.rows;
  if (!HasSessions(rows)) return nullptr;
  if (Status s = CheckSessionBackend(*p.target.backend); !s) return std::unexpected(s.error());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].rounds.empty()) return MakeError("--multi-turn: row {} has no rounds", i);
  }
  auto setup = std::make_unique<SessionSetup>();
  setup->mode = *mode;
  setup->bodies = std::make_unique<SessionBodies>(rows, *p.target.backend, p.request_options, *mode,
                                                  f.lora_names, p.lora);
  setup->plan = MakeSessionPlan(rows, f.turn_gap_ms, *setup->bodies);
  setup->renderer =
      dataset::LoadTemplateRenderer(p.tokenizer_name, *p.tokenizer, ChatTemplateKwargs(f));
  setup->codec = std::make_unique<dataset::TokenizerCodec>(*p.tokenizer);
  measured.records = MakeSessionRecords(
      rows, protocol::WantsIgnoreEos(*p.target.backend, p.request_options), p.lora);
  measured.sessions = &setup->plan;
  const SessionSetup* kept = setup.get();
  measured.after_phase = [rows, kept](std::span<metrics::RequestRecord> records,
                                      const std::vector<bool>& sent) {
    return CountRoundPrompts(rows, records, sent, kept->mode, kept->renderer.get(), *kept->codec);
  };
  return setup;
}

}  // namespace servebench::app
