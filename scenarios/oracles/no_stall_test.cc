#include "scenarios/oracles/no_stall.h"

#include "gtest/gtest.h"

namespace quicsim::scenarios::oracles {
namespace {

const sim::Time kNow = sim::Time::Zero() + sim::Duration::Seconds(60);

TEST(NoStallTest, FinishedPairHolds) {
  EXPECT_FALSE(CheckNoStall(true, false, kNow, 10).has_value());
  // Finished before the run stalled on another pair's account.
  EXPECT_FALSE(CheckNoStall(true, true, kNow, 10).has_value());
}

TEST(NoStallTest, UnfinishedPairSaysWhyTheRunStopped) {
  std::optional<std::string> idle = CheckNoStall(false, false, kNow, 10);
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ(*idle, "the run went idle before the pair finished");
  std::optional<std::string> limits = CheckNoStall(false, true, kNow, 1234);
  ASSERT_TRUE(limits.has_value());
  EXPECT_NE(limits->find("hit its limits"), std::string::npos);
  EXPECT_NE(limits->find("1234 events"), std::string::npos);
  EXPECT_NE(limits->find(kNow.ToString()), std::string::npos);
}

}  // namespace
}  // namespace quicsim::scenarios::oracles
