// Multi-turn sessions for RunPhase (spec/load.md §7.3, datasets.md §15): a workload row whose
// prompt is a list of rounds is sent round by round. Round r + 1 becomes ready when round r ends,
// plus the turn gap; its body is built on the loop thread at that moment, because it carries the
// text round r actually generated. A session holds one concurrency slot (or one closed-loop
// worker) for its whole life; a round that fails ends its session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/chat_message.h"
#include "common/status.h"

namespace servebench::client {

// Makes the request body of one round. Called for round 0 before the phase starts and for later
// rounds on loop threads, concurrently for different rows, so implementations must not mutate
// shared state.
class RoundBodies {
 public:
  virtual ~RoundBodies() = default;
  // Body of round `round` of the session in workload row `row`. `replies[j]` is the assistant
  // text round j generated (reasoning excluded), for j < round.
  virtual Expected<std::string> Body(size_t row, size_t round,
                                     std::span<const std::string_view> replies) const = 0;
};

struct SessionPlan {
  // Rounds of each workload row's session (>= 1). The records of row i's rounds are contiguous,
  // in round order, starting at the sum of rounds[0..i).
  std::vector<size_t> rounds;
  int64_t turn_gap_ns = 0;  // --turn-gap-ms
  const RoundBodies* bodies = nullptr;

  // Index of the record of round 0 of each row (prefix sums of `rounds`), and the total.
  std::vector<size_t> FirstRecords() const {
    std::vector<size_t> first(rounds.size());
    size_t next = 0;
    for (size_t i = 0; i < rounds.size(); ++i) {
      first[i] = next;
      next += rounds[i];
    }
    return first;
  }
  size_t TotalRecords() const {
    size_t total = 0;
    for (size_t r : rounds)
      total += r;
    return total;
  }
};

// The messages round `round` sends (datasets.md §15): the user messages of rounds 0..round with,
// after each earlier one, its assistant reply: replies[j] for round j (the text generated, or the
// dataset's own reply with --multi-turn-history dataset).
std::vector<ChatMessage> RoundHistory(std::span<const std::string_view> user_texts,
                                      std::span<const std::string_view> replies, size_t round);

}  // namespace servebench::client
