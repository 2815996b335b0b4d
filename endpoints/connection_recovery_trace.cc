// The recovery events a Connection records in the trace, for qlog
// (recovery:packet_lost, recovery:loss_timer_updated) and the ladder
// diagram: each packet declared lost with its trigger, and each change of
// the loss detection timer (set with its type, space and delay; expired;
// cancelled).
#include "endpoints/connection.h"

namespace quicsim::endpoints {
void Connection::TracePacketLost(const SentPacketInfo& info,
                                 PacketNumberSpace space,
                                 std::optional<uint64_t> largest_acked) {
  std::optional<PacketType> type;
  if (auto it = sent_records_.find(info.token); it != sent_records_.end()) {
    type = PacketTypeOfLevel(it->second.level);
  }
  // RFC 9002 §6.1: an ACK declares a packet lost by the packet threshold
  // when kPacketThreshold later packets are acknowledged, else by time.
  const bool reordering =
      largest_acked.has_value() &&
      *largest_acked >= info.packet_number + kPacketThreshold;
  Trace(events::PacketLost{space, type, info.packet_number, info.bytes,
                           reordering});
}

void Connection::TraceLossTimer(sim::Time before) {
  const sim::Time after = timers_.deadline(ConnectionTimer::kLossDetection);
  if (after == before) return;
  events::LossTimer timer;
  if (after.IsInfinite()) {
    timer.change = events::LossTimer::Change::kCancelled;
    Trace(timer);
    return;
  }
  const sim::Time now = scheduler_->Now();
  timer.change = events::LossTimer::Change::kSet;
  timer.pto = !loss_.timer_is_loss_time();
  timer.space = loss_.timer_space();
  timer.delta_ns = after < now ? 0 : (after - now).nanos();
  Trace(timer);
}

void Connection::TraceLossTimerExpired() {
  events::LossTimer timer;
  timer.change = events::LossTimer::Change::kExpired;
  timer.pto = !loss_.timer_is_loss_time();
  timer.space = loss_.timer_space();
  Trace(timer);
}

}  // namespace quicsim::endpoints
