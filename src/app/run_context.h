// What the phases of `servebench run` share (spec/load.md §1): the validated settings and the
// things learned before the measured phase, the exit codes of cli.md §7, and the failure a phase
// hands back to RunBenchmark.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "app/run_target.h"
#include "app/run_workload.h"
#include "common/receive_stamps.h"
#include "load/schedule.h"
#include "metrics/aggregate.h"
#include "metrics/compat.h"
#include "protocol/request_body.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {

inline constexpr int kExitNotReady = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInvalidRun = 3;
inline constexpr int kExitInterrupted = 130;

// A phase that cannot go on: the exit code and the one line printed after "servebench run: ".
struct RunFailure {
  int exit_code = kExitBadInput;
  std::string message;
};

template <typename T>
using RunExpected = std::expected<T, RunFailure>;

inline std::unexpected<RunFailure> FailWith(int exit_code, std::string message) {
  return std::unexpected<RunFailure>(RunFailure{exit_code, std::move(message)});
}

class ResultFiles;

struct Prepared {
  Target target;
  std::string model;
  std::string tokenizer_name;
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;
  Workload workload;
  protocol::RequestOptions request_options;
  metrics::Compat compat = metrics::Compat::kNone;
  protocol::Compat protocol_compat = protocol::Compat::kNone;
  load::LoadOptions load;
  metrics::RunSettings settings;
  double rate = 0;
  std::vector<double> rates;  // the measured rates: {rate}, or the --multi sweep
  int64_t threads = 1;
  // Held for the whole run when token events are stamped with the kernel's receive time
  // (--kernel-timestamps, on by default where the system gives it); null: user-space stamps.
  std::shared_ptr<KernelStamping> kernel_stamping;
  bool kernel_timestamps() const { return kernel_stamping != nullptr; }
  std::vector<int32_t> lora;  // adapter index per row (--lora-name), empty without adapters
  std::shared_ptr<ResultFiles> result_files;  // --save-result, --request-log (result_files.h)
};

}  // namespace servebench::app
