#include "dataset/mooncake_dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "dataset/chat_renderer.h"

namespace servebench::dataset {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTraceBase =
    "https://raw.githubusercontent.com/kvcache-ai/Mooncake/main/FAST25-release/";
constexpr int64_t kDefaultOutputLen = 256;
constexpr int kWarmupBlockWords = 512;

struct Session {
  size_t line = 0;
  double timestamp_ms = 0;
  int64_t output_len = kDefaultOutputLen;
  std::vector<uint64_t> hash_ids;
};

Status CheckOptions(const DatasetOptions& o) {
  if (auto url = MooncakeTraceUrl(o.mooncake_workload); !url) {
    return std::unexpected(url.error());
  }
  if (o.mooncake_block_size < 1) {
    return MakeError("--mooncake-block-size: expected >= 1, got {}", o.mooncake_block_size);
  }
  if (o.mooncake_num_rounds < 1) {
    return MakeError("--mooncake-num-rounds: expected >= 1, got {}", o.mooncake_num_rounds);
  }
  if (o.tokenize_prompt) return MakeError("--tokenize-prompt: not allowed with mooncake");
  return Ok();
}

Expected<std::string> LocateTrace(const DatasetOptions& o, const SourceSettings& settings) {
  if (!o.path.empty()) return o.path;
  std::string name = o.mooncake_workload + "_trace.jsonl";
  std::vector<std::string> searched = {(fs::path("/tmp") / name).string(),
                                       (fs::path(settings.servebench_cache) / name).string()};
  for (const std::string& path : searched) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return path;
  }
  auto url = MooncakeTraceUrl(o.mooncake_workload);
  if (!url) return std::unexpected(url.error());
  return DownloadToCache(*url, name, settings, searched);
}

// One trace line into a session; the error says what was expected (the caller adds file:line).
Expected<Session> ParseLine(simdjson::dom::parser& parser, std::string_view line) {
  simdjson::dom::element doc;
  if (auto error = parser.parse(line).get(doc); error) {
    return MakeError("expected a JSON object ({})", simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) return MakeError("expected a JSON object");
  Session s;
  simdjson::dom::element value;
  if (object["timestamp"].get(value) == simdjson::SUCCESS) {
    if (value.get(s.timestamp_ms) != simdjson::SUCCESS || !std::isfinite(s.timestamp_ms)) {
      return MakeError("field timestamp: expected a number of milliseconds");
    }
  } else {
    return MakeError("field timestamp: missing");
  }
  if (object["output_length"].get(value) == simdjson::SUCCESS) {
    if (value.get(s.output_len) != simdjson::SUCCESS || s.output_len < 1) {
      return MakeError("field output_length: expected an integer >= 1");
    }
  }
  if (object["input_length"].get(value) == simdjson::SUCCESS && !value.is_number()) {
    return MakeError("field input_length: expected a number");
  }
  simdjson::dom::array ids;
  if (object["hash_ids"].get(ids) != simdjson::SUCCESS) {
    return MakeError("field hash_ids: expected an array of non-negative integers");
  }
  for (simdjson::dom::element id : ids) {
    uint64_t v = 0;
    if (id.get(v) != simdjson::SUCCESS) {
      return MakeError("field hash_ids: expected an array of non-negative integers");
    }
    s.hash_ids.push_back(v);
  }
  return s;
}

// Each hash id's decimal text followed by `words` copies of "hi" separated by spaces.
std::string Blocks(const std::vector<uint64_t>& hash_ids, int64_t words) {
  std::string block;
  for (int64_t w = 0; w < words; ++w)
    block += w == 0 ? "hi" : " hi";
  std::string out;
  for (uint64_t id : hash_ids) {
    out += std::to_string(id);
    out += block;
  }
  return out;
}

// `n` copies of "story" separated by spaces: the placeholder reply of earlier rounds.
std::string Story(int64_t n) {
  std::string out;
  out.reserve(static_cast<size_t>(n) * 6);
  for (int64_t k = 0; k < n; ++k)
    out += k == 0 ? "story" : " story";
  return out;
}

// The prompt text sent to a completions backend: the template over the messages, or without one
// the lines "role: content" joined by "\n" (datasets.md §9).
Expected<std::string> Flatten(const DatasetContext& c, std::span<const ChatMessage> messages) {
  if (c.renderer != nullptr) return RenderPrompt(*c.renderer, messages);
  std::string joined;
  for (const ChatMessage& m : messages) {
    if (!joined.empty()) joined += '\n';
    joined += m.role + ": " + m.content;
  }
  return joined;
}

}  // namespace

Expected<std::string> MooncakeTraceUrl(std::string_view workload) {
  if (workload == "mooncake") return fmt::format("{}arxiv-trace/mooncake_trace.jsonl", kTraceBase);
  if (workload == "conversation" || workload == "synthetic" || workload == "toolagent") {
    return fmt::format("{}traces/{}_trace.jsonl", kTraceBase, workload);
  }
  return MakeError(
      "--mooncake-workload: expected mooncake, conversation, synthetic or toolagent, got '{}'",
      workload);
}

Expected<DatasetResult> BuildMooncake(const DatasetOptions& o, const DatasetContext& c,
                                      const SourceSettings& settings) {
  if (auto s = CheckOptions(o); !s) return std::unexpected(s.error());
  auto path = LocateTrace(o, settings);
  if (!path) return std::unexpected(path.error());
  std::ifstream in(*path, std::ios::binary);
  if (!in) return MakeError("--dataset-path {}: cannot be read", *path);

  DatasetResult result;
  DropReport& report = result.report;
  report.source = *path;
  size_t rounds = static_cast<size_t>(o.mooncake_num_rounds);
  report.requested = o.num_prompts * rounds;
  simdjson::dom::parser parser;
  std::vector<Session> sessions;
  std::string line;
  for (size_t number = 1; sessions.size() < o.num_prompts && std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++report.read;
    auto session = ParseLine(parser, line);
    if (!session) {
      if (!o.skip_invalid_lines) {
        return MakeError("{}:{}: {}", *path, number, session.error().message);
      }
      report.Drop("invalid lines");
      continue;
    }
    session->line = number;
    sessions.push_back(std::move(*session));
  }
  report.examined = report.read;
  if (in.bad()) return MakeError("--dataset-path {}: read error", *path);

  // Replay order is trace time (stable); a trace going backwards is replayed sorted, and said so.
  size_t backwards = 0, first_back = 0;
  for (size_t i = 1; i < sessions.size(); ++i) {
    if (sessions[i].timestamp_ms < sessions[i - 1].timestamp_ms) {
      if (backwards++ == 0) first_back = sessions[i].line;
    }
  }
  if (backwards > 0) {
    std::stable_sort(sessions.begin(), sessions.end(), [](const Session& a, const Session& b) {
      return a.timestamp_ms < b.timestamp_ms;
    });
    report.warnings.push_back(fmt::format(
        "{}:{}: timestamps go backwards ({} of {} sessions earlier than the line before); "
        "sessions are replayed in timestamp order",
        *path, first_back, backwards, sessions.size()));
  }

  for (const Session& s : sessions) {
    std::string prompt =
        Blocks(s.hash_ids, o.mooncake_block_size) + "Tell me a story based on this context.";
    std::vector<ChatMessage> history;
    for (size_t r = 1; r <= rounds; ++r) {
      if (r > 1) history.push_back({"assistant", Story(s.output_len)});
      history.push_back({"user", fmt::format("Round {}: {}", r, prompt)});
      auto flat = Flatten(c, history);
      if (!flat) return std::unexpected(flat.error());
      WorkloadRow row;
      row.prompt_len = static_cast<int64_t>(c.codec.Encode(*flat, true).size());
      row.text_prompt_len = row.prompt_len;
      row.output_len = s.output_len;
      row.timestamp_ms = s.timestamp_ms;
      if (o.chat_backend) {
        row.messages = history;
      } else {
        row.prompt_text = std::move(*flat);
      }
      result.rows.push_back(std::move(row));
    }
  }
  if (!result.rows.empty()) {
    result.rows.front().warmup_prompt = Blocks(sessions.front().hash_ids, kWarmupBlockWords) +
                                        "Can you tell me a detailed story in 1000 words?";
  }
  return result;
}

}  // namespace servebench::dataset
