// Multi-turn sessions in `servebench run` (spec/load.md §7.3, datasets.md §15): workload rows
// whose prompt is a list of rounds become one request record per round, sent by the driver's
// session support (client/session_plan.h) with bodies made here from the rows, and their prompt
// lengths are counted after the run from the exact messages each round sent.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "app/run_phases.h"
#include "client/session_plan.h"
#include "common/status.h"
#include "dataset/chat_renderer.h"
#include "dataset/token_codec.h"
#include "dataset/workload_row.h"
#include "metrics/request_record.h"
#include "protocol/backend.h"
#include "protocol/request.h"

namespace servebench::app {

// --multi-turn-history: the assistant turns of a round's history.
enum class HistoryMode { kGenerated, kDataset };
Expected<HistoryMode> ParseHistoryMode(std::string_view text);

// True when the workload holds sessions (every row then has at least one round).
bool HasSessions(std::span<const dataset::WorkloadRow> rows);

// Sessions need a chat backend (datasets.md §17); the error names the backend.
Status CheckSessionBackend(const protocol::BackendInfo& backend);

// The messages round `round` of `row` sends, given the replies its earlier rounds generated
// (ignored with HistoryMode::kDataset, which uses the rows' own replies).
std::vector<ChatMessage> SessionRoundMessages(const dataset::WorkloadRow& row, size_t round,
                                              std::span<const std::string_view> generated,
                                              HistoryMode mode);

// The warmup's copy of row 0 (load.md §9): for a session, its output length is the first
// round's (the body, FillRequestInput, sends the first round's user message).
dataset::WorkloadRow FirstRoundRow(const dataset::WorkloadRow& row);

// Bodies of the rounds, built from the rows on the loop threads (read-only state).
class SessionBodies final : public client::RoundBodies {
 public:
  // `lora_names[lora[i]]` is row i's adapter when `lora` is non-empty. Everything referenced
  // must outlive the run.
  SessionBodies(std::span<const dataset::WorkloadRow> rows, const protocol::BackendInfo& backend,
                const protocol::RequestOptions& options, HistoryMode mode,
                std::span<const std::string> lora_names, std::span<const int32_t> lora);
  Expected<std::string> Body(size_t row, size_t round,
                             std::span<const std::string_view> replies) const override;

 private:
  std::span<const dataset::WorkloadRow> rows_;
  const protocol::BackendInfo& backend_;
  const protocol::RequestOptions& options_;
  HistoryMode mode_;
  std::span<const std::string> lora_names_;
  std::span<const int32_t> lora_;
};

// The plan of a session workload: one entry of rounds per row.
client::SessionPlan MakeSessionPlan(std::span<const dataset::WorkloadRow> rows, double turn_gap_ms,
                                    const client::RoundBodies& bodies);

// One record per round, rows in order, rounds in order: index = record position, session = row,
// round = 0-based round, requested output = the round's output length. prompt_tokens_dataset is
// left at 0 until CountRoundPrompts.
std::vector<metrics::RequestRecord> MakeSessionRecords(std::span<const dataset::WorkloadRow> rows,
                                                       bool ignore_eos,
                                                       std::span<const int32_t> lora);

// Sets prompt_tokens_dataset of every sent round record (sent[i] for records[i]) from the exact
// messages it sent: the token count of the chat template's rendering (generation prompt added)
// when `renderer` is given, else the sum of the messages' token counts.
Status CountRoundPrompts(std::span<const dataset::WorkloadRow> rows,
                         std::span<metrics::RequestRecord> records, const std::vector<bool>& sent,
                         HistoryMode mode, const dataset::ChatRenderer* renderer,
                         const dataset::TokenCodec& codec);

// What a session run keeps alive while its phases run.
struct SessionSetup {
  HistoryMode mode = HistoryMode::kGenerated;
  std::unique_ptr<SessionBodies> bodies;
  client::SessionPlan plan;
  std::unique_ptr<dataset::ChatRenderer> renderer;  // null: the tokenizer has no chat template
  std::unique_ptr<dataset::TokenCodec> codec;
};

// When p's rows are sessions: checks the backend, replaces measured.records by one record per
// round, and points `measured` at the plan and at the prompt count after the phase. Null when the
// rows are not sessions. Errors name the flag.
Expected<std::unique_ptr<SessionSetup>> PrepareSessions(const RunFlags& f, const Prepared& p,
                                                        PhaseWork& measured);

}  // namespace servebench::app
