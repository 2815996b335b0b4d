// A connection's timers as one table indexed by an enum: each entry is a
// sim::Alarm, and every expiry goes to one handler with the timer's name.
#ifndef QUICSIM_ENDPOINTS_TIMERS_H_
#define QUICSIM_ENDPOINTS_TIMERS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "sim/alarm.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// The timers of a Connection.
enum class ConnectionTimer : uint8_t {
  kLossDetection,  // RFC 9002 loss detection / PTO
  kAck,            // a delayed ACK is due
  kIdle,           // idle timeout (RFC 9000 §10.1)
  kClose,          // end of the closing or draining period
  kCloseRepeat,    // unprovoked CONNECTION_CLOSE repetition (closing.h)
  kVersion,        // client: Version Negotiation probe backoff
};
inline constexpr size_t kNumConnectionTimers = 6;

// The table. Not copyable or movable (the alarms call back into it).
class TimerTable {
 public:
  using Handler = absl::AnyInvocable<void(ConnectionTimer)>;

  // `scheduler` must outlive the table; `on_fire` is called with the timer
  // that expired.
  TimerTable(sim::Scheduler* scheduler, Handler on_fire)
      : on_fire_(std::move(on_fire)),
        alarms_(MakeAlarms(scheduler, this,
                           std::make_index_sequence<kNumConnectionTimers>())) {}
  TimerTable(const TimerTable&) = delete;
  TimerTable& operator=(const TimerTable&) = delete;

  // Arms `timer` for `deadline` (Time::Infinite() cancels it).
  void Set(ConnectionTimer timer, sim::Time deadline) {
    alarms_[Index(timer)].Set(deadline);
  }
  void Cancel(ConnectionTimer timer) { alarms_[Index(timer)].Cancel(); }
  // Cancels every timer, in enum order.
  void CancelAll() {
    for (sim::Alarm& alarm : alarms_) alarm.Cancel();
  }
  // The armed deadline, or Time::Infinite().
  sim::Time deadline(ConnectionTimer timer) const {
    return alarms_[Index(timer)].deadline();
  }

 private:
  static constexpr size_t Index(ConnectionTimer timer) {
    return static_cast<size_t>(timer);
  }
  template <size_t... I>
  static std::array<sim::Alarm, kNumConnectionTimers> MakeAlarms(
      sim::Scheduler* scheduler, TimerTable* table, std::index_sequence<I...>) {
    return {sim::Alarm(scheduler, [table] {
      table->on_fire_(static_cast<ConnectionTimer>(I));
    })...};
  }

  Handler on_fire_;
  std::array<sim::Alarm, kNumConnectionTimers> alarms_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_TIMERS_H_
