// Alarm: a re-armable timer owned by an object (a connection's loss, idle or
// ack timer). Re-arming is cheap: when the new deadline is not earlier than
// the event already in the scheduler, that event is kept and, when it fires
// early, it re-schedules itself at the current deadline. Only moving the
// deadline earlier costs a scheduler Cancel (O(1)) and push (O(log n)).
#ifndef QUICSIM_SIM_ALARM_H_
#define QUICSIM_SIM_ALARM_H_

#include "absl/functional/any_invocable.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace quicsim::sim {

// A timer that calls `on_fire` once at its deadline unless cancelled or
// moved. The callback may Set() the alarm again. Destroying the alarm
// cancels it.
class Alarm {
 public:
  Alarm(Scheduler* scheduler, absl::AnyInvocable<void()> on_fire);
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // Arms (or re-arms) the alarm for `deadline`; a past deadline fires at
  // Now(). Time::Infinite() is the same as Cancel().
  void Set(Time deadline);
  // Disarms the alarm; it will not fire until Set() again.
  void Cancel();
  // Whether the alarm is armed.
  bool IsSet() const { return !deadline_.IsInfinite(); }
  // The armed deadline, or Time::Infinite() when not set.
  Time deadline() const { return deadline_; }

  // How many scheduler events this alarm has pushed (for benchmarks/tests).
  uint64_t wakeups_scheduled() const { return wakeups_scheduled_; }

 private:
  void Schedule(Time at);
  void OnWakeup();

  Scheduler* scheduler_;
  absl::AnyInvocable<void()> on_fire_;
  Time deadline_ = Time::Infinite();
  // The outstanding scheduler event and its time (Infinite when none).
  TimerId timer_;
  Time scheduled_ = Time::Infinite();
  uint64_t wakeups_scheduled_ = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_ALARM_H_
