#include "endpoints/closing.h"

#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

TEST(CloseStateTest, RemembersTheClose) {
  CloseState close;
  close.Enter(0x0a, "protocol violation");
  EXPECT_EQ(close.code(), 0x0au);
  EXPECT_EQ(close.reason(), "protocol violation");
}

TEST(CloseStateTest, AnswersAtMostKMaxCloseResponsesDatagrams) {
  CloseState close;
  close.Enter(1, "");
  for (int i = 0; i < CloseState::kMaxResponses; ++i) {
    EXPECT_TRUE(close.TakeResponse()) << i;
  }
  EXPECT_FALSE(close.TakeResponse());
  EXPECT_FALSE(close.TakeResponse());
}

TEST(CloseStateTest, RepeatsBackOffAndStop) {
  const sim::Duration pto = sim::Duration::Millis(100);
  CloseState close;
  close.Enter(1, "x");
  // First repetition one PTO after the close, then 2, 4, 8, 16, 32 PTOs.
  EXPECT_EQ(close.RepeatDelay(pto), pto);
  sim::Duration expected = pto;
  for (int i = 0; i < CloseState::kMaxRepeats; ++i) {
    ASSERT_TRUE(close.TakeRepeat()) << i;
    expected = expected * 2;
    EXPECT_EQ(close.RepeatDelay(pto), expected) << i;
  }
  EXPECT_FALSE(close.TakeRepeat());
  // Entering again starts the backoff over.
  close.Enter(2, "y");
  EXPECT_EQ(close.RepeatDelay(pto), pto);
  EXPECT_TRUE(close.TakeRepeat());
}

TEST(CloseStateTest, Periods) {
  const sim::Duration pto = sim::Duration::Millis(100);
  EXPECT_EQ(CloseState::DrainingPeriod(pto), sim::Duration::Millis(300));
  // The closing period lasts the idle timeout when that is longer.
  EXPECT_EQ(CloseState::ClosingPeriod(pto, sim::Duration::Seconds(30)),
            sim::Duration::Seconds(30));
  EXPECT_EQ(CloseState::ClosingPeriod(pto, sim::Duration::Millis(10)),
            sim::Duration::Millis(300));
}

}  // namespace
}  // namespace quicsim::endpoints
