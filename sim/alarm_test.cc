#include "sim/alarm.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

TEST(AlarmTest, FiresOnceAtDeadline) {
  Scheduler s;
  std::vector<Time> fired;
  Alarm alarm(&s, [&] { fired.push_back(s.Now()); });
  EXPECT_FALSE(alarm.IsSet());
  EXPECT_TRUE(alarm.deadline().IsInfinite());
  alarm.Set(Ms(5));
  EXPECT_TRUE(alarm.IsSet());
  EXPECT_EQ(alarm.deadline(), Ms(5));
  s.RunUntilIdle();
  EXPECT_EQ(fired, std::vector<Time>{Ms(5)});
  EXPECT_FALSE(alarm.IsSet());
}

TEST(AlarmTest, PostponingFiresAtTheLatestDeadlineOnly) {
  Scheduler s;
  std::vector<Time> fired;
  Alarm alarm(&s, [&] { fired.push_back(s.Now()); });
  alarm.Set(Ms(10));
  // Re-arm later many times: no new scheduler events are pushed.
  for (int i = 11; i <= 1000; ++i) alarm.Set(Ms(i));
  EXPECT_EQ(alarm.wakeups_scheduled(), 1u);
  EXPECT_EQ(s.pending(), 1u);
  s.RunUntilIdle();
  EXPECT_EQ(fired, std::vector<Time>{Ms(1000)});
  EXPECT_EQ(alarm.wakeups_scheduled(), 2u);  // the early wakeup re-armed once
}

TEST(AlarmTest, MovingEarlierFiresEarlier) {
  Scheduler s;
  std::vector<Time> fired;
  Alarm alarm(&s, [&] { fired.push_back(s.Now()); });
  alarm.Set(Ms(100));
  alarm.Set(Ms(3));
  EXPECT_EQ(s.pending(), 1u);  // the 100 ms wakeup was cancelled
  s.RunUntilIdle();
  EXPECT_EQ(fired, std::vector<Time>{Ms(3)});
  EXPECT_EQ(s.Now(), Ms(3));
}

TEST(AlarmTest, CancelPreventsFiringAndLetsTheRunGoIdle) {
  Scheduler s;
  int fired = 0;
  Alarm alarm(&s, [&] { ++fired; });
  alarm.Set(Ms(30000));
  alarm.Cancel();
  EXPECT_FALSE(alarm.IsSet());
  EXPECT_EQ(s.pending(), 0u);
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kIdle);
  EXPECT_EQ(s.Now(), Time::Zero());
  EXPECT_EQ(fired, 0);
  alarm.Set(Ms(2));
  alarm.Set(Time::Infinite());  // same as Cancel
  s.RunUntilIdle();
  EXPECT_EQ(fired, 0);
}

TEST(AlarmTest, PastDeadlineFiresNowAndCallbackCanRearm) {
  Scheduler s;
  std::vector<Time> fired;
  std::unique_ptr<Alarm> alarm;
  alarm = std::make_unique<Alarm>(&s, [&] {
    fired.push_back(s.Now());
    if (fired.size() < 3) alarm->Set(s.Now() + Duration::Millis(2));
  });
  s.At(Ms(10), [&] { alarm->Set(Ms(1)); });  // already past: fires at 10
  s.RunUntilIdle();
  EXPECT_EQ(fired, (std::vector<Time>{Ms(10), Ms(12), Ms(14)}));
}

TEST(AlarmTest, DestroyingAnArmedAlarmCancelsIt) {
  Scheduler s;
  int fired = 0;
  {
    Alarm alarm(&s, [&] { ++fired; });
    alarm.Set(Ms(1));
  }
  EXPECT_EQ(s.pending(), 0u);
  s.RunUntilIdle();
  EXPECT_EQ(fired, 0);
}

TEST(AlarmTest, ManyAlarmsFireInDeadlineOrder) {
  Scheduler s;
  std::vector<int> order;
  std::vector<std::unique_ptr<Alarm>> alarms;
  for (int i = 0; i < 50; ++i) {
    alarms.push_back(
        std::make_unique<Alarm>(&s, [&order, i] { order.push_back(i); }));
  }
  // Deadlines 49-i ms, each postponed once from an earlier value.
  for (int i = 0; i < 50; ++i) alarms[i]->Set(Ms(1));
  for (int i = 0; i < 50; ++i) alarms[i]->Set(Ms(100 + 49 - i));
  s.RunUntilIdle();
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], 49 - i);
}

}  // namespace
}  // namespace quicsim::sim
