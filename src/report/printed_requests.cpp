#include "report/printed_requests.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

namespace servebench::report {

std::string RenderPrintedRequests(std::span<const metrics::RequestRecord> records,
                                  const PromptOf& prompt_of) {
  std::vector<const metrics::RequestRecord*> order;
  order.reserve(records.size());
  for (const metrics::RequestRecord& r : records)
    order.push_back(&r);
  auto end_of = [](const metrics::RequestRecord* r) {
    return r->end_time.value_or(std::numeric_limits<int64_t>::max());
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto* a, const auto* b) { return end_of(a) < end_of(b); });

  std::string out;
  for (const metrics::RequestRecord* r : order) {
    out += fmt::format("=== request {}", r->index);
    if (r->session)
      out += fmt::format(" (session {}, round {})", *r->session, r->round.value_or(0));
    out += fmt::format(" | {}", metrics::StatusName(r->status));
    if (r->ok()) {
      if (r->output_tokens_server) {
        out += fmt::format(" | {} output tokens", *r->output_tokens_server);
      } else {
        out += fmt::format(" | {} token events", r->token_events());
      }
    } else if (!r->error.empty()) {
      out += fmt::format(": {}", r->error);
    }
    if (r->end_time) {
      out +=
          fmt::format(" | e2e {:.3f} ms", static_cast<double>(*r->end_time - r->send_time) / 1e6);
    }
    out += " ===\nPrompt: ";
    out += prompt_of(*r);
    out += "\nOutput: ";
    out += r->generated_text;
    out += '\n';
  }
  return out;
}

}  // namespace servebench::report
