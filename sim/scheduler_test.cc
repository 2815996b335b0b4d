#include "sim/scheduler.h"

#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

TEST(SchedulerTest, RunsInTimeOrderAndAdvancesClock) {
  Scheduler s;
  std::vector<std::string> log;
  s.At(Ms(30), [&] { log.push_back("c@" + s.Now().ToString()); });
  s.At(Ms(10), [&] { log.push_back("a@" + s.Now().ToString()); });
  s.At(Ms(20), [&] { log.push_back("b@" + s.Now().ToString()); });
  EXPECT_EQ(s.pending(), 3u);
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kIdle);
  EXPECT_EQ(log, (std::vector<std::string>{"a@0.010000000s", "b@0.020000000s",
                                           "c@0.030000000s"}));
  EXPECT_EQ(s.Now(), Ms(30));
  EXPECT_EQ(s.events_run(), 3u);
  EXPECT_EQ(s.events_scheduled(), 3u);
}

TEST(SchedulerTest, TiesBreakByInsertionOrder) {
  Scheduler s;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) {
    // Interleave two times so heap reshuffles cannot hide a bug.
    s.At(Ms(i % 2 == 0 ? 5 : 1), [&order, i] { order.push_back(i); });
  }
  s.RunUntilIdle();
  std::vector<int> expected;
  for (int i = 1; i < 100; i += 2) expected.push_back(i);
  for (int i = 0; i < 100; i += 2) expected.push_back(i);
  EXPECT_EQ(order, expected);
}

TEST(SchedulerTest, EventsScheduledForNowRunAfterQueuedOnes) {
  Scheduler s;
  std::vector<std::string> log;
  s.At(Ms(1), [&] {
    log.push_back("first");
    s.At(s.Now(), [&] { log.push_back("nested"); });
    s.At(Time::Zero(), [&] { log.push_back("past-clamped"); });
  });
  s.At(Ms(1), [&] { log.push_back("second"); });
  s.RunUntilIdle();
  EXPECT_EQ(log, (std::vector<std::string>{"first", "second", "nested",
                                           "past-clamped"}));
  EXPECT_EQ(s.Now(), Ms(1));
}

TEST(SchedulerTest, AfterIsRelativeToNow) {
  Scheduler s;
  Time fired;
  s.At(Ms(7), [&] { s.After(Duration::Micros(3), [&] { fired = s.Now(); }); });
  s.RunUntilIdle();
  EXPECT_EQ(fired, Time::FromNanos(7003000));
}

TEST(SchedulerTest, Cancel) {
  Scheduler s;
  std::vector<int> ran;
  TimerId a = s.At(Ms(1), [&] { ran.push_back(1); });
  TimerId b = s.At(Ms(2), [&] { ran.push_back(2); });
  TimerId c = s.At(Ms(3), [&] { ran.push_back(3); });
  EXPECT_TRUE(s.IsPending(b));
  EXPECT_TRUE(s.Cancel(b));
  EXPECT_FALSE(s.IsPending(b));
  EXPECT_FALSE(s.Cancel(b));          // already cancelled
  EXPECT_FALSE(s.Cancel(TimerId()));  // invalid
  EXPECT_EQ(s.pending(), 2u);
  // An event may cancel a later one.
  s.At(Ms(2), [&] { EXPECT_TRUE(s.Cancel(c)); });
  s.RunUntilIdle();
  EXPECT_EQ(ran, std::vector<int>{1});
  EXPECT_FALSE(s.Cancel(a));  // already ran
  EXPECT_EQ(s.events_cancelled(), 2u);
  EXPECT_EQ(s.Now(), Ms(2));
}

TEST(SchedulerTest, ReusedSlotDoesNotConfuseStaleIds) {
  Scheduler s;
  int ran = 0;
  TimerId a = s.At(Ms(1), [&] { ran += 1; });
  ASSERT_TRUE(s.Cancel(a));
  TimerId b = s.At(Ms(1), [&] { ran += 10; });
  EXPECT_EQ(a.slot, b.slot);  // the slot was recycled
  EXPECT_FALSE(s.Cancel(a));  // but the stale id names nothing
  s.RunUntilIdle();
  EXPECT_EQ(ran, 10);
}

TEST(SchedulerTest, ManyCancelsCompactTheHeap) {
  Scheduler s;
  int ran = 0;
  std::vector<TimerId> ids;
  for (int i = 0; i < 10000; ++i) {
    ids.push_back(s.At(Ms(1000 + i), [&] { ++ran; }));
  }
  for (int i = 0; i < 10000; ++i) {
    if (i % 100 != 0) {
      EXPECT_TRUE(s.Cancel(ids[i]));
    }
  }
  EXPECT_EQ(s.pending(), 100u);
  EXPECT_EQ(s.NextEventTime(), Ms(1000));
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kIdle);
  EXPECT_EQ(ran, 100);
  EXPECT_EQ(s.Now(), Ms(1000 + 9900));
}

TEST(SchedulerTest, RunUntilStopsAtDeadlineInclusive) {
  Scheduler s;
  std::vector<int> ran;
  s.At(Ms(10), [&] { ran.push_back(10); });
  s.At(Ms(20), [&] { ran.push_back(20); });
  s.At(Ms(21), [&] { ran.push_back(21); });
  EXPECT_EQ(s.RunUntil(Ms(20)), RunResult::kReachedTime);
  EXPECT_EQ(ran, (std::vector<int>{10, 20}));
  EXPECT_EQ(s.Now(), Ms(20));
  EXPECT_EQ(s.RunUntil(Ms(15)), RunResult::kReachedTime);  // no going back
  EXPECT_EQ(s.Now(), Ms(20));
  EXPECT_EQ(s.RunUntil(Ms(100)), RunResult::kIdle);
  EXPECT_EQ(s.Now(), Ms(100));  // the clock moves to the deadline
  EXPECT_EQ(s.RunUntil(Time::Infinite()), RunResult::kIdle);
  EXPECT_EQ(s.Now(), Ms(100));
}

TEST(SchedulerTest, StepRunsOneEvent) {
  Scheduler s;
  int ran = 0;
  s.At(Ms(1), [&] { ++ran; });
  s.At(Ms(2), [&] { ++ran; });
  EXPECT_TRUE(s.Step());
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(s.Now(), Ms(1));
  EXPECT_TRUE(s.Step());
  EXPECT_FALSE(s.Step());
  EXPECT_EQ(ran, 2);
}

TEST(SchedulerTest, EventBoundStallsARunawayRun) {
  Limits limits;
  limits.max_events = 1000;
  Scheduler s(limits);
  // A timer that re-arms itself forever.
  std::function<void()> tick = [&] { s.After(Duration::Millis(1), tick); };
  s.After(Duration::Millis(1), tick);
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kStalled);
  EXPECT_TRUE(s.stalled());
  EXPECT_EQ(s.events_run(), 1000u);
  EXPECT_EQ(s.Now(), Ms(1000));
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_FALSE(s.Step());
}

TEST(SchedulerTest, TimeBoundStallsARunawayRun) {
  Limits limits;
  limits.max_time = Ms(50);
  Scheduler s(limits);
  std::function<void()> tick = [&] { s.After(Duration::Millis(10), tick); };
  s.After(Duration::Millis(10), tick);
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kStalled);
  EXPECT_EQ(s.Now(), Ms(50));  // the event at 50 ms ran; 60 ms did not
  EXPECT_EQ(s.events_run(), 5u);
  EXPECT_EQ(s.RunUntil(Ms(1000)), RunResult::kStalled);
  EXPECT_EQ(s.Now(), Ms(50));
  // Raising the bound lets the run continue.
  limits.max_time = Ms(70);
  s.set_limits(limits);
  EXPECT_EQ(s.RunUntil(Ms(65)), RunResult::kReachedTime);
  EXPECT_FALSE(s.stalled());
  EXPECT_EQ(s.events_run(), 6u);
}

}  // namespace
}  // namespace quicsim::sim
