#include "sim/closed_loop.h"

#include <algorithm>
#include <memory>

#include "sim/engine_core.h"

namespace servebench::sim {

std::vector<ClosedLoopOutcome> RunClosedLoop(const ClosedLoopOptions& options,
                                             std::span<const ClosedLoopRequest> requests) {
  std::vector<ClosedLoopOutcome> outcomes(requests.size());
  EngineCore core(options.engine);
  const int64_t tp = std::max(1, options.tp);
  int64_t now = 0;
  size_t next = 0;
  int64_t freed = 0;  // workers whose request finished in the step just ended

  auto submit = [&] {
    size_t i = next++;
    auto r = std::make_shared<EngineRequest>();
    r->prompt_tokens = std::max(1, requests[i].prompt_tokens);
    r->output_tokens = std::max(1, requests[i].output_tokens);
    ClosedLoopOutcome* outcome = &outcomes[i];
    outcome->submit_ns = now;
    outcome->token_ns.reserve(static_cast<size_t>(r->output_tokens));
    r->on_token = [outcome, &freed](int64_t step_end_ns, bool finished) {
      outcome->token_ns.push_back(step_end_ns);
      if (finished) ++freed;
    };
    core.Enqueue(std::move(r));
  };

  int64_t workers = std::max<int64_t>(1, options.workers);
  for (int64_t w = 0; w < workers && next < requests.size(); ++w)
    submit();
  while (!core.Idle()) {
    EngineCore::Step step = core.Begin();
    now += step.nanos / tp;
    freed = 0;
    core.Finish(now);
    // The freed workers take the next requests now; they reach the next step, as a request
    // submitted during a step does in the real-time engine.
    for (; freed > 0 && next < requests.size(); --freed)
      submit();
  }
  return outcomes;
}

}  // namespace servebench::sim
