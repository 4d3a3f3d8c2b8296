#include "app/profile_table.h"

#include "metrics/lmdeploy_throughput.h"
#include "report/console.h"

namespace servebench::app {

std::string ConsoleTable(const report::RunInfo& info, const metrics::RunMetrics& m,
                         std::span<const metrics::RequestRecord> sent, double cancel_rate) {
  if (info.compat == metrics::Compat::kLmdeploy && info.closed_loop_concurrency) {
    return report::RenderProfileThroughput(info, metrics::ComputeLmdeployThroughput(sent),
                                           cancel_rate);
  }
  return report::RenderConsole(info, m);
}

}  // namespace servebench::app
