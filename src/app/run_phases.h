// The two phases that send requests (spec/load.md §1 steps 6–7): the warmup and the measured
// phase. Both take their records by value, so a sweep can run them again from the same
// templates.
#pragma once

#include <atomic>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "app/run_context.h"
#include "client/run_driver.h"
#include "load/schedule.h"
#include "metrics/aggregate.h"
#include "metrics/request_record.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {

// Requests ready to be sent: one body and one (unfilled) record per row of the schedule.
struct PhaseWork {
  load::Schedule schedule;
  std::vector<std::string> bodies;
  std::vector<metrics::RequestRecord> records;
  // Multi-turn sessions (run_sessions.h): the rounds' plan, and the prompt count run on the
  // records once the phase has ended.
  const client::SessionPlan* sessions = nullptr;
  std::function<Status(std::span<metrics::RequestRecord>, const std::vector<bool>& sent)>
      after_phase;
};

// Sends the warmup (load.md §9). No success at all, or a transport failure: exit code 1;
// interrupted: 130. `sent_out` (when given) receives the records of the requests sent, also
// when the warmup fails.
RunExpected<metrics::WarmupSummary> RunWarmup(
    const client::DriverOptions& driver, const PhaseWork& warmup,
    const metrics::MeasurementRules& rules, const std::atomic<bool>& stop,
    std::vector<metrics::RequestRecord>* sent_out = nullptr);

struct MeasuredPhase {
  client::DriverResult driver;
  // The records of the requests that were sent, in row order, output_tokens_retokenized set.
  std::vector<metrics::RequestRecord> sent;
};

// The measured phase over `schedule` (which may differ from work.schedule in a sweep), with the
// progress line on stderr when `show_progress`.
RunExpected<MeasuredPhase> RunMeasured(const client::DriverOptions& driver,
                                       const load::Schedule& schedule, const PhaseWork& work,
                                       const tokenizer::Tokenizer& tokenizer, bool show_progress,
                                       const std::atomic<bool>& stop);

}  // namespace servebench::app
