// The steps before any request of the workload is sent (spec/load.md §1 steps 2–3): readiness,
// model and tokenizer; and the client settings every phase of the run shares.
#pragma once

#include <cstdint>

#include "app/run_context.h"
#include "app/run_flags.h"
#include "client/run_driver.h"

namespace servebench::app {

// Waits for the server, then fills p.model, p.request_options.model, p.tokenizer_name and
// p.tokenizer. Not ready or no model: exit code 1; a tokenizer that cannot load: 2.
RunExpected<void> PrepareTarget(const RunFlags& f, Prepared& p);

// Raises the soft descriptor limit to the hard one; fails when even that is below `needed`.
Status EnsureFileLimit(int64_t needed);

// The loop, call and reader settings of every phase. `count_tokens` must outlive the result.
client::DriverOptions MakeDriverOptions(const RunFlags& f, const Prepared& p,
                                        const client::TokenCounter& count_tokens);

}  // namespace servebench::app
