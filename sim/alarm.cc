#include "sim/alarm.h"

#include <utility>

namespace quicsim::sim {

Alarm::Alarm(Scheduler* scheduler, absl::AnyInvocable<void()> on_fire)
    : scheduler_(scheduler), on_fire_(std::move(on_fire)) {}

Alarm::~Alarm() {
  if (!scheduled_.IsInfinite()) scheduler_->Cancel(timer_);
}

void Alarm::Schedule(Time at) {
  if (!scheduled_.IsInfinite()) scheduler_->Cancel(timer_);
  if (at < scheduler_->Now()) at = scheduler_->Now();
  scheduled_ = at;
  ++wakeups_scheduled_;
  timer_ = scheduler_->At(at, [this] { OnWakeup(); });
}

void Alarm::Set(Time deadline) {
  if (deadline.IsInfinite()) {
    Cancel();
    return;
  }
  if (deadline < scheduler_->Now()) deadline = scheduler_->Now();
  deadline_ = deadline;
  // Keep an outstanding wakeup that is no later than the deadline: it will
  // re-schedule itself on firing early.
  if (scheduled_ <= deadline_) return;
  Schedule(deadline_);
}

void Alarm::Cancel() {
  // Really remove the wakeup (O(1)) so a cancelled alarm never keeps a run
  // from going idle.
  deadline_ = Time::Infinite();
  if (!scheduled_.IsInfinite()) {
    scheduler_->Cancel(timer_);
    scheduled_ = Time::Infinite();
    timer_ = TimerId();
  }
}

void Alarm::OnWakeup() {
  scheduled_ = Time::Infinite();
  timer_ = TimerId();
  if (deadline_.IsInfinite()) return;
  if (deadline_ > scheduler_->Now()) {
    Schedule(deadline_);
    return;
  }
  deadline_ = Time::Infinite();
  on_fire_();
}

}  // namespace quicsim::sim
