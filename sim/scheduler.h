// The discrete-event scheduler: one virtual clock, callbacks at absolute
// virtual times, ties broken by insertion order (a sequence number).
//
// Layout: a binary min-heap of 24-byte entries {time, seq, slot} keyed by
// (time, seq); callbacks live in a slot vector with a free list, so heap
// moves never touch a callback. Cancel() is O(1): it frees the slot and the
// stale heap entry is skipped when popped (the heap is compacted when stale
// entries outnumber live ones). Push and pop are O(log n).
#ifndef QUICSIM_SIM_SCHEDULER_H_
#define QUICSIM_SIM_SCHEDULER_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/time.h"

namespace quicsim::sim {

// Names one scheduled event. A default-constructed id names nothing.
struct TimerId {
  uint64_t seq = 0;   // the event's sequence number (never 0 when valid)
  uint32_t slot = 0;  // where its callback lives
  bool valid() const { return seq != 0; }
  bool operator==(const TimerId& o) const {
    return seq == o.seq && slot == o.slot;
  }
  bool operator!=(const TimerId& o) const { return !(*this == o); }
};

// How a run ended.
enum class RunResult {
  kIdle,         // no events left
  kReachedTime,  // RunUntil(t): every event at or before t ran; some remain
  kStalled,      // a Limits bound was hit; the run stopped early
};
const char* RunResultName(RunResult r);

// Bounds that end a run as kStalled instead of hanging.
struct Limits {
  // Total events the scheduler may run over its lifetime.
  uint64_t max_events = std::numeric_limits<uint64_t>::max();
  // No event scheduled later than this runs.
  Time max_time = Time::Infinite();
};

// A single-threaded discrete-event scheduler.
class Scheduler {
 public:
  Scheduler() = default;
  explicit Scheduler(Limits limits) : limits_(limits) {}
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The current virtual time: the time of the event running (or last run).
  Time Now() const { return now_; }

  // Schedules `fn` at `time`. A time before Now() runs at Now() (after the
  // events already queued for Now()). `time` must not be infinite.
  TimerId At(Time time, absl::AnyInvocable<void()> fn);
  // Schedules `fn` at Now() + `delay`.
  TimerId After(Duration delay, absl::AnyInvocable<void()> fn) {
    return At(now_ + delay, std::move(fn));
  }
  // Cancels a pending event. False if it already ran, was cancelled, or
  // `id` is invalid. Safe to call from inside any callback.
  bool Cancel(TimerId id);
  // Whether `id` is still pending.
  bool IsPending(TimerId id) const;

  // Runs the earliest pending event (subject to the limits). False if none
  // ran (queue empty or a limit reached).
  bool Step();
  // Runs every event with time <= `deadline`, then sets Now() to `deadline`
  // (unless stalled, when Now() stays at the last event run).
  RunResult RunUntil(Time deadline);
  // Runs until no events remain or a limit is hit.
  RunResult RunUntilIdle();

  const Limits& limits() const { return limits_; }
  void set_limits(Limits limits) { limits_ = limits; }
  // Whether the last run (or Step) stopped on a limit.
  bool stalled() const { return stalled_; }

  // Number of live pending events.
  size_t pending() const { return live_; }
  // The time of the earliest pending event, or Time::Infinite().
  Time NextEventTime();
  // Counters.
  uint64_t events_run() const { return events_run_; }
  uint64_t events_scheduled() const { return next_seq_ - 1; }
  uint64_t events_cancelled() const { return events_cancelled_; }

 private:
  struct Entry {
    int64_t time;
    uint64_t seq;
    uint32_t slot;
  };
  struct Slot {
    uint64_t seq = 0;  // 0: free
    absl::AnyInvocable<void()> fn;
  };
  // Min-heap order on (time, seq).
  static bool Later(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
  void PushHeap(Entry e);
  void PopHeap();
  // Drops stale entries from the top of the heap.
  void SkipStale();
  void Compact();
  void FreeSlot(uint32_t slot);

  Limits limits_;
  Time now_ = Time::Zero();
  uint64_t next_seq_ = 1;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  size_t live_ = 0;
  uint64_t events_run_ = 0;
  uint64_t events_cancelled_ = 0;
  bool stalled_ = false;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_SCHEDULER_H_
