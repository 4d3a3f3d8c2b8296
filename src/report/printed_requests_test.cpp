#include "report/printed_requests.h"

#include <gtest/gtest.h>

#include <vector>

namespace servebench::report {
namespace {

metrics::RequestRecord Finished(int64_t index, int64_t send_ns, int64_t end_ns, std::string text) {
  metrics::RequestRecord r;
  r.index = index;
  r.send_time = send_ns;
  r.end_time = end_ns;
  r.output_tokens_server = 2;
  r.generated_text = std::move(text);
  return r;
}

std::string Prompt(const metrics::RequestRecord& r) {
  return "prompt " + std::to_string(r.index);
}

TEST(PrintedRequestsTest, RequestsAppearInTheOrderTheyEnded) {
  std::vector<metrics::RequestRecord> records = {Finished(0, 0, 9'000'000, "late"),
                                                 Finished(1, 1'000'000, 3'500'000, "early")};
  EXPECT_EQ(RenderPrintedRequests(records, Prompt),
            "=== request 1 | ok | 2 output tokens | e2e 2.500 ms ===\n"
            "Prompt: prompt 1\n"
            "Output: early\n"
            "=== request 0 | ok | 2 output tokens | e2e 9.000 ms ===\n"
            "Prompt: prompt 0\n"
            "Output: late\n");
}

TEST(PrintedRequestsTest, FailuresShowTheirReasonAndRoundsTheirSession) {
  metrics::RequestRecord failed;
  failed.index = 4;
  failed.session = 2;
  failed.round = 1;
  failed.Fail(metrics::RequestStatus::kHttpStatus, 5'000'000, "HTTP 500: boom");
  metrics::RequestRecord never_ended;  // no end time: printed last
  never_ended.index = 5;
  never_ended.status = metrics::RequestStatus::kCancelled;
  std::vector<metrics::RequestRecord> records = {never_ended, failed};
  EXPECT_EQ(RenderPrintedRequests(records, Prompt),
            "=== request 4 (session 2, round 1) | http_status: HTTP 500: boom | e2e 5.000 ms ===\n"
            "Prompt: prompt 4\n"
            "Output: \n"
            "=== request 5 | cancelled ===\n"
            "Prompt: prompt 5\n"
            "Output: \n");
}

TEST(PrintedRequestsTest, WithoutAServerCountTheTokenEventsAreShown) {
  metrics::RequestRecord r = Finished(0, 0, 1'000'000, "ab");
  r.output_tokens_server.reset();
  r.AddTokenEvent(10, 1);
  r.AddTokenEvent(20, 1);
  r.AddTokenEvent(30, 1);
  std::vector<metrics::RequestRecord> records = {r};
  EXPECT_NE(RenderPrintedRequests(records, Prompt).find("| ok | 3 token events |"),
            std::string::npos);
}

}  // namespace
}  // namespace servebench::report
