// The recovery events a Connection records in the trace, for qlog
// (recovery:packet_lost, recovery:loss_timer_updated) and the ladder
// diagram: each packet declared lost with its trigger, and each change of
// the loss detection timer (set with its type, space and delay; expired;
// cancelled).
#include "absl/strings/str_format.h"
#include "endpoints/connection.h"

namespace quicsim::endpoints {
namespace {

const char* RecoverySpaceName(PacketNumberSpace space) {
  switch (space) {
    case PacketNumberSpace::kInitial:
      return "initial";
    case PacketNumberSpace::kHandshake:
      return "handshake";
    case PacketNumberSpace::kApplication:
      return "application";
  }
  return "?";
}

}  // namespace

void Connection::TracePacketLost(const SentPacketInfo& info,
                                 PacketNumberSpace space,
                                 std::optional<uint64_t> largest_acked) {
  std::string type;
  if (auto it = sent_records_.find(info.token); it != sent_records_.end()) {
    type = absl::StrFormat(" type=%s",
                           PacketTypeName(PacketTypeOfLevel(it->second.level)));
  }
  // RFC 9002 §6.1: an ACK declares a packet lost by the packet threshold
  // when kPacketThreshold later packets are acknowledged, else by time.
  const char* trigger =
      largest_acked.has_value() &&
              *largest_acked >= info.packet_number + kPacketThreshold
          ? "reordering_threshold"
          : "time_threshold";
  Trace("packet_lost",
        absl::StrFormat("space=%s%s pn=%d size=%d trigger=%s",
                        RecoverySpaceName(space), type, info.packet_number,
                        info.bytes, trigger));
}

void Connection::TraceLossTimer(sim::Time before) {
  const sim::Time after = timers_.deadline(ConnectionTimer::kLossDetection);
  if (after == before) return;
  if (after.IsInfinite()) {
    Trace("loss_timer", "event=cancelled");
    return;
  }
  const sim::Time now = scheduler_->Now();
  Trace("loss_timer",
        absl::StrFormat("event=set type=%s space=%s delta_ns=%d",
                        loss_.timer_is_loss_time() ? "ack" : "pto",
                        RecoverySpaceName(loss_.timer_space()),
                        after < now ? 0 : (after - now).nanos()));
}

void Connection::TraceLossTimerExpired() {
  Trace("loss_timer",
        absl::StrFormat("event=expired type=%s space=%s",
                        loss_.timer_is_loss_time() ? "ack" : "pto",
                        RecoverySpaceName(loss_.timer_space())));
}

}  // namespace quicsim::endpoints
