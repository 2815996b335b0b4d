#include "endpoints/timers.h"

#include <vector>

#include "gtest/gtest.h"
#include "sim/scheduler.h"

namespace quicsim::endpoints {
namespace {

TEST(TimerTableTest, EachTimerFiresWithItsNameAtItsDeadline) {
  sim::Scheduler scheduler;
  std::vector<std::pair<ConnectionTimer, int64_t>> fired;
  TimerTable timers(&scheduler, [&](ConnectionTimer timer) {
    fired.push_back({timer, scheduler.Now().nanos()});
  });
  const sim::Time t0 = scheduler.Now();
  timers.Set(ConnectionTimer::kIdle, t0 + sim::Duration::Millis(30));
  timers.Set(ConnectionTimer::kLossDetection, t0 + sim::Duration::Millis(10));
  timers.Set(ConnectionTimer::kVersion, t0 + sim::Duration::Millis(20));
  EXPECT_EQ(timers.deadline(ConnectionTimer::kLossDetection),
            t0 + sim::Duration::Millis(10));
  EXPECT_TRUE(timers.deadline(ConnectionTimer::kAck).IsInfinite());
  scheduler.RunUntilIdle();
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[0].first, ConnectionTimer::kLossDetection);
  EXPECT_EQ(fired[0].second, (t0 + sim::Duration::Millis(10)).nanos());
  EXPECT_EQ(fired[1].first, ConnectionTimer::kVersion);
  EXPECT_EQ(fired[2].first, ConnectionTimer::kIdle);
  EXPECT_TRUE(timers.deadline(ConnectionTimer::kIdle).IsInfinite());
}

TEST(TimerTableTest, CancelAndCancelAll) {
  sim::Scheduler scheduler;
  std::vector<ConnectionTimer> fired;
  TimerTable timers(&scheduler,
                    [&](ConnectionTimer timer) { fired.push_back(timer); });
  const sim::Time t0 = scheduler.Now();
  timers.Set(ConnectionTimer::kAck, t0 + sim::Duration::Millis(1));
  timers.Set(ConnectionTimer::kClose, t0 + sim::Duration::Millis(2));
  timers.Set(ConnectionTimer::kCloseRepeat, t0 + sim::Duration::Millis(3));
  timers.Cancel(ConnectionTimer::kAck);
  scheduler.RunUntil(t0 + sim::Duration::Millis(2));
  EXPECT_EQ(fired, std::vector<ConnectionTimer>{ConnectionTimer::kClose});
  timers.CancelAll();
  scheduler.RunUntilIdle();
  EXPECT_EQ(fired, std::vector<ConnectionTimer>{ConnectionTimer::kClose});
  for (size_t i = 0; i < kNumConnectionTimers; ++i) {
    EXPECT_TRUE(timers.deadline(static_cast<ConnectionTimer>(i)).IsInfinite());
  }
}

}  // namespace
}  // namespace quicsim::endpoints
