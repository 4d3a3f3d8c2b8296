#include "client/session_plan.h"

#include <gtest/gtest.h>

namespace servebench::client {
namespace {

TEST(SessionPlan, FirstRecordsArePrefixSumsOfTheRounds) {
  SessionPlan plan;
  plan.rounds = {3, 1, 2};
  EXPECT_EQ(plan.FirstRecords(), (std::vector<size_t>{0, 3, 4}));
  EXPECT_EQ(plan.TotalRecords(), 6u);
}

TEST(RoundHistory, InterleavesUserMessagesWithTheEarlierReplies) {
  std::vector<std::string_view> users = {"u0", "u1", "u2"};
  std::vector<std::string_view> replies = {"a0", "a1"};
  std::vector<ChatMessage> round0 = RoundHistory(users, {}, 0);
  ASSERT_EQ(round0.size(), 1u);
  EXPECT_EQ(round0[0].role, "user");
  EXPECT_EQ(round0[0].content, "u0");

  std::vector<ChatMessage> round2 = RoundHistory(users, replies, 2);
  std::vector<std::pair<std::string, std::string>> got;
  for (const ChatMessage& m : round2)
    got.push_back({m.role, m.content});
  std::vector<std::pair<std::string, std::string>> want = {
      {"user", "u0"}, {"assistant", "a0"}, {"user", "u1"}, {"assistant", "a1"}, {"user", "u2"}};
  EXPECT_EQ(got, want);
}

TEST(RoundHistory, AnEmptyReplyStaysAnAssistantMessage) {
  // A round that generated nothing still takes its place in the history.
  std::vector<std::string_view> users = {"u0", "u1"};
  std::vector<std::string_view> replies = {""};
  std::vector<ChatMessage> round1 = RoundHistory(users, replies, 1);
  ASSERT_EQ(round1.size(), 3u);
  EXPECT_EQ(round1[1].role, "assistant");
  EXPECT_EQ(round1[1].content, "");
}

}  // namespace
}  // namespace servebench::client
