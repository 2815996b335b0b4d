#include "sim/scheduler.h"

#include <algorithm>
#include <utility>

#include "base/check.h"

namespace quicsim::sim {

const char* RunResultName(RunResult r) {
  switch (r) {
    case RunResult::kIdle:
      return "idle";
    case RunResult::kReachedTime:
      return "reached_time";
    case RunResult::kStalled:
      return "stalled";
  }
  return "unknown";
}

void Scheduler::PushHeap(Entry e) {
  // Sift up by hand: cheaper than std::push_heap with a comparator object.
  size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!Later(heap_[parent], e)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void Scheduler::PopHeap() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t n = heap_.size();
  if (n == 0) return;
  size_t i = 0;
  while (true) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Later(heap_[child], heap_[child + 1])) ++child;
    if (!Later(last, heap_[child])) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = last;
}

void Scheduler::FreeSlot(uint32_t slot) {
  slots_[slot].seq = 0;
  slots_[slot].fn = nullptr;
  free_slots_.push_back(slot);
}

TimerId Scheduler::At(Time time, absl::AnyInvocable<void()> fn) {
  QUICSIM_CHECK(!time.IsInfinite());
  if (time < now_) time = now_;
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const uint64_t seq = next_seq_++;
  slots_[slot].seq = seq;
  slots_[slot].fn = std::move(fn);
  PushHeap(Entry{time.nanos(), seq, slot});
  ++live_;
  return TimerId{seq, slot};
}

bool Scheduler::IsPending(TimerId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].seq == id.seq;
}

bool Scheduler::Cancel(TimerId id) {
  if (!IsPending(id)) return false;
  FreeSlot(id.slot);
  --live_;
  ++events_cancelled_;
  // Stale entries stay in the heap until popped; compact when they dominate
  // so re-arm-heavy workloads keep the heap proportional to live events.
  if (heap_.size() > 64 && heap_.size() > 2 * live_) Compact();
  return true;
}

void Scheduler::Compact() {
  size_t out = 0;
  for (const Entry& e : heap_) {
    if (slots_[e.slot].seq == e.seq) heap_[out++] = e;
  }
  heap_.resize(out);
  std::make_heap(heap_.begin(), heap_.end(),
                 [](const Entry& a, const Entry& b) { return Later(a, b); });
}

void Scheduler::SkipStale() {
  while (!heap_.empty() &&
         slots_[heap_.front().slot].seq != heap_.front().seq) {
    PopHeap();
  }
}

Time Scheduler::NextEventTime() {
  SkipStale();
  return heap_.empty() ? Time::Infinite() : Time::FromNanos(heap_.front().time);
}

bool Scheduler::Step() {
  stalled_ = false;
  SkipStale();
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  if (events_run_ >= limits_.max_events ||
      Time::FromNanos(top.time) > limits_.max_time) {
    stalled_ = true;
    return false;
  }
  PopHeap();
  absl::AnyInvocable<void()> fn = std::move(slots_[top.slot].fn);
  FreeSlot(top.slot);
  --live_;
  now_ = Time::FromNanos(top.time);
  ++events_run_;
  fn();
  return true;
}

RunResult Scheduler::RunUntil(Time deadline) {
  stalled_ = false;
  while (true) {
    const Time next = NextEventTime();
    if (next.IsInfinite() || next > deadline) break;
    if (!Step()) return RunResult::kStalled;
  }
  if (deadline > now_ && !deadline.IsInfinite()) now_ = deadline;
  return live_ == 0 ? RunResult::kIdle : RunResult::kReachedTime;
}

RunResult Scheduler::RunUntilIdle() {
  stalled_ = false;
  while (live_ > 0) {
    if (!Step()) return RunResult::kStalled;
  }
  return RunResult::kIdle;
}

}  // namespace quicsim::sim
