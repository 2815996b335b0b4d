#include "sim/instr_window.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

// A self-scheduling workload with ties, cancellations and events scheduled
// in the past; returns the log of (id, time) and the run's outcome.
struct Outcome {
  std::vector<std::pair<int, int64_t>> log;
  RunResult result;
  Time end;
  uint64_t events_run;
  bool stalled;
};

Outcome RunWorkload(bool windowed, Limits limits = Limits()) {
  Scheduler s(limits);
  Outcome out;
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  int ids = 0;
  std::vector<TimerId> timers;
  std::function<void(int)> fire = [&](int id) {
    out.log.emplace_back(id, s.Now().nanos());
    if (ids >= 400) return;
    const int children = static_cast<int>(next() % 3);
    for (int c = 0; c < children; ++c) {
      const int child = ++ids;
      // Delays of 0 (ties at Now()), a few ms, or "in the past".
      const int64_t kind = next() % 4;
      const Time at = kind == 0   ? s.Now()
                      : kind == 1 ? Time::Zero()
                                  : s.Now() + Duration::Micros(next() % 5000);
      timers.push_back(s.At(at, [&fire, child] { fire(child); }));
    }
    if (!timers.empty() && next() % 5 == 0) {
      s.Cancel(timers[next() % timers.size()]);
    }
  };
  for (int i = 0; i < 20; ++i) {
    const int id = ++ids;
    timers.push_back(s.At(Ms(i % 7), [&fire, id] { fire(id); }));
  }
  out.result = windowed ? RunUntilIdleWithWindow(s) : s.RunUntilIdle();
  out.end = s.Now();
  out.events_run = s.events_run();
  out.stalled = s.stalled();
  return out;
}

void ExpectSame(const Outcome& a, const Outcome& b) {
  EXPECT_EQ(a.log, b.log);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.events_run, b.events_run);
  EXPECT_EQ(a.stalled, b.stalled);
}

class InstrWindowTest : public ::testing::Test {
 protected:
  void TearDown() override { SetInstrWindow(std::nullopt); }
};

TEST_F(InstrWindowTest, ParsesSecondsAndRejectsBadWindows) {
  absl::StatusOr<InstrWindow> w = ParseInstrWindow("10,11.5");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->start, Time::Zero() + Duration::Seconds(10));
  EXPECT_EQ(w->end, Time::Zero() + Duration::Millis(11500));
  w = ParseInstrWindow("0, inf");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->start, Time::Zero());
  EXPECT_TRUE(w->end.IsInfinite());
  for (const char* bad : {"", "1", "1,2,3", "2,1", "1,1", "-1,2", "a,2", "1,b",
                          "inf,inf", "nan,1", "1e300,1e301"}) {
    EXPECT_FALSE(ParseInstrWindow(bad).ok()) << bad;
  }
}

TEST_F(InstrWindowTest, WithoutAWindowItIsRunUntilIdle) {
  ExpectSame(RunWorkload(false), RunWorkload(true));
  EXPECT_EQ(GetInstrWindowStats().opened, 0u);
}

TEST_F(InstrWindowTest, AnyWindowLeavesTheRunUnchanged) {
  const Outcome plain = RunWorkload(false);
  ASSERT_GT(plain.log.size(), 100u);
  const int64_t last = plain.log.back().second;
  // Before, around, inside and after the events, including bounds equal to
  // event times (ties) and a window past the last event.
  const std::vector<std::pair<Time, Time>> windows = {
      {Time::Zero(), Time::Infinite()},
      {Time::Zero(), Ms(1)},
      {Ms(2), Ms(4)},
      {Time::FromNanos(plain.log[50].second),
       Time::FromNanos(plain.log[90].second)},
      {Time::FromNanos(last), Time::Infinite()},
      {Time::FromNanos(last + 1), Time::FromNanos(last + 1000)},
  };
  for (const auto& [start, end] : windows) {
    SetInstrWindow(InstrWindow{start, end});
    const Outcome windowed = RunWorkload(true);
    ExpectSame(plain, windowed);
    uint64_t inside = 0;
    for (const auto& [id, t] : plain.log) {
      if (start.nanos() <= t && Time::FromNanos(t) < end) ++inside;
    }
    EXPECT_EQ(GetInstrWindowStats().events, inside) << start << " " << end;
    EXPECT_EQ(GetInstrWindowStats().opened, 1u);
  }
}

TEST_F(InstrWindowTest, StallsWhereRunUntilIdleStalls) {
  for (uint64_t max_events : {uint64_t{5}, uint64_t{60}, uint64_t{150}}) {
    Limits limits;
    limits.max_events = max_events;
    const Outcome plain = RunWorkload(false, limits);
    ASSERT_EQ(plain.result, RunResult::kStalled);
    SetInstrWindow(InstrWindow{Ms(1), Ms(3)});
    ExpectSame(plain, RunWorkload(true, limits));
  }
  Limits limits;
  limits.max_time = Ms(2);
  const Outcome plain = RunWorkload(false, limits);
  SetInstrWindow(InstrWindow{Ms(1), Ms(3)});
  ExpectSame(plain, RunWorkload(true, limits));
}

TEST_F(InstrWindowTest, CountsHandshakesDoneInsideTheWindowOnly) {
  NoteHandshakeDone(Ms(5));  // no window: not counted anywhere
  SetInstrWindow(InstrWindow{Ms(10), Ms(20)});
  EXPECT_EQ(GetInstrWindowStats().handshakes_done, 0u);
  for (int64_t ms : {9, 10, 15, 19, 20, 30}) NoteHandshakeDone(Ms(ms));
  NoteHandshakeDone(Ms(20) - Duration::Nanos(1));
  EXPECT_EQ(GetInstrWindowStats().handshakes_done, 4u);
  SetInstrWindow(InstrWindow{Ms(10), Ms(20)});
  EXPECT_EQ(GetInstrWindowStats().handshakes_done, 0u);
}

}  // namespace
}  // namespace quicsim::sim
