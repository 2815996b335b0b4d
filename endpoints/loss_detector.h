// Loss detection and probe timeouts across the three packet number spaces
// (RFC 9002 §6 and Appendix A), with NewReno bytes-in-flight accounting.
#ifndef QUICSIM_ENDPOINTS_LOSS_DETECTOR_H_
#define QUICSIM_ENDPOINTS_LOSS_DETECTOR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "endpoints/congestion_controller.h"
#include "endpoints/rtt_estimator.h"
#include "endpoints/types.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// RFC 9002 §6.1.1.
inline constexpr uint64_t kPacketThreshold = 3;
// RFC 9002 §6.1.2: kTimeThreshold = 9/8.
inline constexpr int64_t kTimeThresholdNumerator = 9;
inline constexpr int64_t kTimeThresholdDenominator = 8;

// What the loss detector remembers about one sent packet. `token` is opaque:
// the caller uses it to find the frames the packet carried.
struct SentPacketInfo {
  uint64_t packet_number = 0;
  sim::Time time_sent;
  uint64_t token = 0;
  uint32_t bytes = 0;
  bool ack_eliciting = false;
  bool in_flight = false;
};

// Connection state the RFC 9002 timer rules depend on; supplied by the
// caller whenever it changes (see LossDetector::SetFlags).
struct RecoveryFlags {
  // Server: always true. Client: true once a Handshake packet was
  // acknowledged or the handshake is confirmed (RFC 9002 Appendix A.6).
  bool peer_completed_address_validation = false;
  bool handshake_confirmed = false;
  // Handshake keys are available (selects the anti-deadlock probe's space).
  bool has_handshake_keys = false;
  // Server only: blocked by the 3x anti-amplification limit; no timer runs.
  bool at_anti_amplification_limit = false;
};

// Probe packets the caller must send after a PTO expired.
struct ProbeRequest {
  int count = 0;  // 0: no probe; otherwise 1 or 2 ack-eliciting packets
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  // The client's anti-deadlock probe (RFC 9002 §6.2.2.1): a padded Initial
  // or a Handshake packet, sent with no ack-eliciting packet in flight.
  bool anti_deadlock = false;
};

// The result of an ACK or a timeout. The caller owns one and reuses it so
// that the hot path does not allocate; each call clears it first.
struct RecoveryOutcome {
  std::vector<SentPacketInfo> acked;  // ascending packet number
  std::vector<SentPacketInfo> lost;   // ascending packet number
  PacketNumberSpace space = PacketNumberSpace::kInitial;  // of acked/lost
  ProbeRequest probe;
  // True when this ACK produced an RTT sample.
  bool rtt_updated = false;
  void Clear() {
    acked.clear();
    lost.clear();
    probe = ProbeRequest();
    rtt_updated = false;
  }
};

// RFC 9002 loss detection for one connection. Pure logic, no I/O. The caller
// arms one alarm at LossDetectionTimer() and calls OnLossDetectionTimeout()
// when it fires.
class LossDetector {
 public:
  // Per-connection settings.
  struct Config {
    sim::Duration initial_rtt = kInitialRtt;
    sim::Duration peer_max_ack_delay = sim::Duration::Millis(25);
    uint64_t max_datagram_size = 1200;
    // Packets to send per PTO (RFC 9002 §6.2.4 allows up to two).
    int pto_probe_count = 2;
  };

  LossDetector() : LossDetector(Config()) {}
  explicit LossDetector(const Config& config);

  // Updates the caller-supplied connection state and re-arms the timer.
  void SetFlags(const RecoveryFlags& flags, sim::Time now);
  const RecoveryFlags& flags() const { return flags_; }
  // The peer's max_ack_delay from its transport parameters.
  void SetPeerMaxAckDelay(sim::Duration d) { rtt_.set_peer_max_ack_delay(d); }

  // Records a sent packet. Packet numbers must increase within a space.
  void OnPacketSent(PacketNumberSpace space, uint64_t packet_number,
                    sim::Time now, uint32_t bytes, bool ack_eliciting,
                    bool in_flight, uint64_t token);

  // Processes an ACK frame of `space`: `ranges` descending as decoded,
  // `ack_delay` already scaled by the peer's ack_delay_exponent. Fills `out`
  // with newly acknowledged and newly lost packets. Returns InvalidArgument
  // (send PROTOCOL_VIOLATION) if the ranges are malformed or acknowledge a
  // packet number never sent; nothing changes then.
  absl::Status OnAckReceived(PacketNumberSpace space,
                             absl::Span<const PacketNumberRange> ranges,
                             sim::Duration ack_delay, sim::Time now,
                             RecoveryOutcome* out);

  // When the loss detection alarm must fire (earliest loss time, else the
  // PTO deadline); Infinite when no alarm is needed.
  sim::Time LossDetectionTimer() const { return timer_; }
  // What the timer waits for: a packet's loss time (true; qlog's "ack"
  // timer) or a PTO (false), and in which packet number space.
  bool timer_is_loss_time() const { return timer_is_loss_time_; }
  PacketNumberSpace timer_space() const { return timer_space_; }
  // The alarm fired: fills `out` with packets declared lost by the time
  // threshold, or with a probe request (then pto_count grows). Does nothing
  // if called before LossDetectionTimer().
  void OnLossDetectionTimeout(sim::Time now, RecoveryOutcome* out);

  // Discards a packet number space when its keys are dropped (RFC 9002
  // §6.4): its packets leave bytes in flight, its loss time and PTO state
  // reset, pto_count resets. Their records go to `discarded` if not null.
  void DiscardSpace(PacketNumberSpace space, sim::Time now,
                    std::vector<SentPacketInfo>* discarded = nullptr);

  uint64_t bytes_in_flight() const { return cc_.bytes_in_flight(); }
  int pto_count() const { return pto_count_; }
  // True when some ack-eliciting packet is in flight in any space.
  bool HasAckElicitingInFlight() const;
  // Ack-eliciting packets a PTO can act on: Application-space (0-RTT/1-RTT)
  // packets count only once the handshake is confirmed, since no PTO runs
  // for that space before. A client whose only packets in flight are 0-RTT
  // therefore still arms its anti-deadlock PTO (RFC 9002 §6.2.2.1: "even
  // if there are no packets in flight").
  bool PtoEligibleInFlight() const;
  // Unacknowledged, not yet lost packets of `space`.
  size_t OutstandingPackets(PacketNumberSpace space) const;
  const RttEstimator& rtt() const { return rtt_; }
  const CongestionController& congestion_controller() const { return cc_; }

 private:
  struct Entry {
    SentPacketInfo info;
    bool live = false;
  };
  struct SpaceState {
    std::vector<Entry> packets;  // ascending pn; [head, size) may be live
    size_t head = 0;
    size_t live = 0;
    bool has_sent = false;
    uint64_t largest_sent = 0;
    bool has_largest_acked = false;
    uint64_t largest_acked = 0;
    sim::Time loss_time = sim::Time::Infinite();
    sim::Time last_ack_eliciting_sent;
    int ack_eliciting_in_flight = 0;
  };

  SpaceState& S(PacketNumberSpace s) { return spaces_[static_cast<int>(s)]; }
  const SpaceState& S(PacketNumberSpace s) const {
    return spaces_[static_cast<int>(s)];
  }
  // Removes a live entry, keeping the per-space counters right.
  void Remove(SpaceState& sp, Entry& e);
  void Compact(SpaceState& sp);
  // DetectAndRemoveLostPackets of Appendix A.10; appends to `lost`.
  void DetectLost(PacketNumberSpace space, sim::Time now,
                  std::vector<SentPacketInfo>* lost);
  void OnLostToCc(absl::Span<const SentPacketInfo> lost, sim::Time now);
  // Earliest loss time and its space; Infinite when none.
  sim::Time EarliestLossTime(PacketNumberSpace* space) const;
  sim::Time PtoTime(sim::Time now, PacketNumberSpace* space) const;
  void SetTimer(sim::Time now);

  Config config_;
  RecoveryFlags flags_;
  RttEstimator rtt_;
  CongestionController cc_;
  SpaceState spaces_[kNumPacketNumberSpaces];
  int pto_count_ = 0;
  sim::Time timer_ = sim::Time::Infinite();
  bool timer_is_loss_time_ = false;
  PacketNumberSpace timer_space_ = PacketNumberSpace::kInitial;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_LOSS_DETECTOR_H_
