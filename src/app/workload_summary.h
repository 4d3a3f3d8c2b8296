// The workload summary `servebench run --dry-run` prints (issue 6 "Dry run"): rows read, dropped
// (with the reasons), sampled, input and output length statistics, total tokens, and the
// schedule's span.
#pragma once

#include <string>

#include "app/run_workload.h"
#include "load/schedule.h"

namespace servebench::app {

struct SummaryHeader {
  std::string target;  // the request URL and backend the run would send to
  std::string dataset;
  std::string tokenizer;
  std::string model;
};

std::string RenderWorkloadSummary(const SummaryHeader& header, const Workload& workload,
                                  const load::Schedule& schedule);

}  // namespace servebench::app
