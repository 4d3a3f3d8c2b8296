// `--print-requests` (spec/cli.md §1.5): each request's prompt and generated text as text for
// a terminal. Rendered after the measured phase, in the order the requests ended (a request
// without an end time last), so nothing is printed from the loop threads while they time events.
//
//   === request 3 | ok | 16 output tokens | e2e 12.345 ms ===
//   Prompt: <the prompt as sent>
//   Output: <the generated text>
//
// A failed request shows its reason and error instead of the token count; a multi-turn round
// adds "(session S, round R)" after its index.
#pragma once

#include <functional>
#include <span>
#include <string>

#include "metrics/request_record.h"

namespace servebench::report {

using PromptOf = std::function<std::string(const metrics::RequestRecord&)>;

std::string RenderPrintedRequests(std::span<const metrics::RequestRecord> records,
                                  const PromptOf& prompt_of);

}  // namespace servebench::report
