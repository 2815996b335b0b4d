// Receive-side packet number tracking and ACK generation for one packet number
// space (RFC 9000 §13.2).
#ifndef QUICSIM_ENDPOINTS_ACK_TRACKER_H_
#define QUICSIM_ENDPOINTS_ACK_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "endpoints/interval_set.h"
#include "endpoints/types.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// Records which packets of one space arrived and decides when to send an ACK
// frame and what it contains. Pure logic, no I/O, no per-packet allocation in
// the in-order case.
class AckTracker {
 public:
  // Tuning for one space.
  struct Config {
    PacketNumberSpace space = PacketNumberSpace::kApplication;
    // Our own max_ack_delay (the value advertised in transport parameters);
    // only used in the Application space.
    sim::Duration max_ack_delay = sim::Duration::Millis(25);
    // At most this many ranges go into one ACK frame (the highest ones).
    size_t max_ack_ranges = 32;
    // Application space: an ACK is due after this many ack-eliciting packets.
    int ack_eliciting_threshold = 2;
    // Ranges kept in memory; beyond this, the lowest range is forgotten and
    // packets below it are treated as duplicates.
    size_t max_tracked_ranges = 64;
  };

  explicit AckTracker(const Config& config);

  // True if `pn` was already received, or lies below the tracking window
  // (forgotten after an acknowledged ACK); such packets must be dropped.
  bool IsDuplicate(uint64_t pn) const;
  // Records a newly received (not duplicate, successfully decrypted) packet.
  void OnPacketReceived(uint64_t pn, bool ack_eliciting, sim::Time now);

  // True when some packet arrived since the last ACK was sent (an ACK may be
  // bundled into any outgoing packet of this space).
  bool HasNewPackets() const { return new_packets_; }
  // When an ACK frame must be sent: the time it became due (<= now means
  // "now"), or Infinite when no ACK is owed.
  sim::Time Deadline() const;
  // True when Deadline() <= now.
  bool ShouldSendAck(sim::Time now) const { return Deadline() <= now; }

  // The ACK ranges, highest first, at most `max_ack_ranges` of them; empty
  // when nothing was received. `out` is cleared first.
  void GetAckRanges(std::vector<PacketNumberRange>* out) const;
  // The ACK Delay to report: now minus the receive time of the largest packet
  // (zero when nothing received).
  sim::Duration AckDelay(sim::Time now) const;
  // Largest packet number received; only valid if has_received().
  uint64_t largest_received() const { return largest_; }
  bool has_received() const { return !received_.empty(); }

  // An ACK frame built from the current state was sent.
  void OnAckSent();
  // The peer acknowledged a packet of ours carrying an ACK frame whose
  // Largest Acknowledged was `largest_acked`: stop reporting packets at or
  // below it (RFC 9000 §13.2.4). They are treated as duplicates from now on.
  void OnAckOfAckReceived(uint64_t largest_acked);

  // Number of ranges held in memory (for tests and memory accounting).
  size_t tracked_ranges() const { return received_.size(); }

 private:
  // True when some packet number in [from, to) was not received.
  bool HasGap(uint64_t from, uint64_t to) const;

  Config config_;
  IntervalSet received_;      // half-open ranges of received pns
  uint64_t min_tracked_ = 0;  // pns below this count as duplicates
  uint64_t largest_ = 0;
  sim::Time largest_time_;
  bool has_ack_eliciting_ = false;
  uint64_t largest_ack_eliciting_ = 0;

  // ACK scheduling since the last ACK sent.
  bool new_packets_ = false;
  int ack_eliciting_since_ack_ = 0;
  sim::Time immediate_since_ = sim::Time::Infinite();
  sim::Time first_ack_eliciting_time_ = sim::Time::Infinite();
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_ACK_TRACKER_H_
