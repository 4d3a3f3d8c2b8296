#include "metrics/goodput.h"

#include <gtest/gtest.h>

namespace servebench::metrics {
namespace {

TEST(ParseGoodput, ReadsKeysInOrderAndLastBoundWins) {
  std::vector<std::string> args{"ttft:200", "tpot:50.5 e2el:1000", "ttft:300"};
  auto config = ParseGoodput(args);
  ASSERT_TRUE(config.has_value());
  ASSERT_EQ(config->bounds.size(), 3u);
  EXPECT_EQ(config->bounds[0].first, "ttft");
  EXPECT_EQ(config->bounds[0].second, 300);
  EXPECT_EQ(config->bounds[1].second, 50.5);
  EXPECT_EQ(config->bounds[2].first, "e2el");
}

TEST(ParseGoodput, RejectsBadItemsNamingTheFlag) {
  for (std::string bad : {"ttft", "itl:5", "ttft:-1", "ttft:abc", "ttft:"}) {
    std::vector<std::string> args{bad};
    auto config = ParseGoodput(args);
    ASSERT_FALSE(config.has_value()) << bad;
    EXPECT_NE(config.error().message.find("--goodput"), std::string::npos);
  }
}

TEST(MeetsGoodput, EveryBoundMustHoldAndMissingValuesFail) {
  std::vector<std::string> args{"ttft:100", "sched_e2el:500"};
  GoodputConfig config = *ParseGoodput(args);
  GoodputValues ok{100.0, 3.0, 400, 120.0, 500};
  EXPECT_TRUE(MeetsGoodput(config, ok));
  GoodputValues slow = ok;
  slow.sched_e2el_ms = 500.1;
  EXPECT_FALSE(MeetsGoodput(config, slow));
  GoodputValues no_tokens = ok;
  no_tokens.ttft_ms.reset();
  EXPECT_FALSE(MeetsGoodput(config, no_tokens));
  EXPECT_TRUE(MeetsGoodput(GoodputConfig{}, no_tokens));
}

}  // namespace
}  // namespace servebench::metrics
