// Throughput of the simulation core: scheduler push/pop at several queue
// depths, alarm re-arming, and link forwarding.
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "sim/alarm.h"
#include "sim/datagram.h"
#include "sim/impairment.h"
#include "sim/link.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace quicsim::sim {
namespace {

// Steady state with N pending events: each iteration runs the earliest event,
// which schedules a replacement at a random time up to 100 ms ahead.
void BM_SchedulerPushPop(benchmark::State& state) {
  const int64_t pending = state.range(0);
  Scheduler s;
  Rng rng(1);
  struct Refill {
    Scheduler* s;
    Rng* rng;
    void operator()() const {
      s->After(Duration::Nanos(1 + rng->Uniform(100000000)), Refill{s, rng});
    }
  };
  for (int64_t i = 0; i < pending; ++i) {
    s.At(Time::FromNanos(1 + rng.Uniform(100000000)), Refill{&s, &rng});
  }
  for (auto _ : state) s.Step();
  state.SetItemsProcessed(state.iterations());
  state.counters["pending"] = static_cast<double>(s.pending());
}
BENCHMARK(BM_SchedulerPushPop)->Arg(100)->Arg(10000)->Arg(1000000);

// Schedule + cancel of a timer among N pending events.
void BM_SchedulerScheduleCancel(benchmark::State& state) {
  Scheduler s;
  Rng rng(2);
  for (int64_t i = 0; i < state.range(0); ++i) {
    s.At(Time::FromNanos(1 + rng.Uniform(100000000)), [] {});
  }
  for (auto _ : state) {
    TimerId id = s.At(Time::FromNanos(1 + rng.Uniform(100000000)), [] {});
    s.Cancel(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SchedulerScheduleCancel)->Arg(10000);

// 10,000 alarms (one per simulated pair); each iteration re-arms one of them
// later (the idle-timer pattern), with the scheduler running in between.
void BM_AlarmRearmLater(benchmark::State& state) {
  Scheduler s;
  const int n = 10000;
  std::vector<std::unique_ptr<Alarm>> alarms;
  for (int i = 0; i < n; ++i) {
    alarms.push_back(std::make_unique<Alarm>(&s, [] {}));
    alarms.back()->Set(Time::Zero() + Duration::Seconds(30));
  }
  int i = 0;
  for (auto _ : state) {
    alarms[i]->Set(s.Now() + Duration::Seconds(30));
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AlarmRearmLater);

// The loss-timer pattern at its worst: every re-arm moves the deadline
// earlier, so each costs a scheduler cancel and push.
void BM_AlarmRearmEarlier(benchmark::State& state) {
  Scheduler s;
  const int n = 10000;
  std::vector<std::unique_ptr<Alarm>> alarms;
  for (int i = 0; i < n; ++i) {
    alarms.push_back(std::make_unique<Alarm>(&s, [] {}));
  }
  int i = 0;
  int64_t deadline = int64_t{1} << 60;
  for (auto _ : state) {
    alarms[i]->Set(Time::FromNanos(--deadline));
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AlarmRearmEarlier);

// A datagram through a 100 Mbit/s link with delay, jitter and 1% loss,
// delivered: one Send plus its scheduler event per item. Arg: trace on (1)
// with a digest-only recorder, or off (0).
void BM_LinkForward(benchmark::State& state) {
  Scheduler s;
  TraceRecorder::Options options;
  options.keep_events = false;
  TraceRecorder trace(options);
  trace.set_enabled(state.range(0) != 0);
  LinkConfig c;
  c.delay = Duration::Millis(20);
  c.jitter = Duration::Millis(1);
  c.bandwidth_bps = 100000000;
  uint64_t delivered = 0;
  Link link("c2s", c, &s, Rng(3), &trace, [&](Datagram d) {
    ++delivered;
    benchmark::DoNotOptimize(d.payload.data());
  });
  link.AddImpairment(std::make_unique<BernoulliLoss>(0.01, Rng(4)));
  Datagram d;
  d.payload.assign(1200, 0x5a);
  int batch = 0;
  for (auto _ : state) {
    d.id++;
    link.Send(d);
    if (++batch == 64) {
      s.RunUntil(s.Now() + Duration::Millis(10));
      batch = 0;
    }
  }
  s.RunUntilIdle();
  state.SetItemsProcessed(state.iterations());
  state.counters["delivered"] = static_cast<double>(delivered);
}
BENCHMARK(BM_LinkForward)->Arg(0)->Arg(1);

}  // namespace
}  // namespace quicsim::sim
