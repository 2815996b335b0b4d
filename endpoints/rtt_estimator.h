// Round-trip time estimation (RFC 9002 §5).
#ifndef QUICSIM_ENDPOINTS_RTT_ESTIMATOR_H_
#define QUICSIM_ENDPOINTS_RTT_ESTIMATOR_H_

#include "endpoints/types.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// RFC 9002 §6.1.2 timer granularity.
inline constexpr sim::Duration kGranularity = sim::Duration::Millis(1);
// RFC 9002 §6.2.2 initial RTT.
inline constexpr sim::Duration kInitialRtt = sim::Duration::Millis(333);

// Tracks latest_rtt, min_rtt, smoothed_rtt and rttvar and computes the PTO
// period. All arithmetic is integer nanoseconds (deterministic).
class RttEstimator {
 public:
  explicit RttEstimator(sim::Duration initial_rtt = kInitialRtt);

  // The peer's max_ack_delay (transport parameter; default 25 ms).
  void set_peer_max_ack_delay(sim::Duration d) { max_ack_delay_ = d; }
  sim::Duration peer_max_ack_delay() const { return max_ack_delay_; }
  // From handshake confirmation on, ack_delay is capped at max_ack_delay.
  void set_handshake_confirmed(bool confirmed) {
    handshake_confirmed_ = confirmed;
  }

  // Feeds one RTT sample (RFC 9002 §5.3): `latest_rtt` is now minus the send
  // time of the largest newly acknowledged packet, `ack_delay` the peer's
  // reported delay (already decoded), `space` the space the ACK was for
  // (the delay is ignored for Initial).
  void OnSample(sim::Duration latest_rtt, sim::Duration ack_delay,
                PacketNumberSpace space);

  bool has_sample() const { return has_sample_; }
  sim::Duration latest_rtt() const { return latest_rtt_; }
  // Zero before the first sample.
  sim::Duration min_rtt() const { return min_rtt_; }
  sim::Duration smoothed_rtt() const { return smoothed_rtt_; }
  sim::Duration rttvar() const { return rttvar_; }

  // The PTO period without backoff (RFC 9002 §6.2.1):
  // smoothed_rtt + max(4 * rttvar, kGranularity) [+ max_ack_delay].
  sim::Duration Pto(bool include_max_ack_delay) const;

 private:
  sim::Duration max_ack_delay_ = sim::Duration::Millis(25);
  bool handshake_confirmed_ = false;
  bool has_sample_ = false;
  sim::Duration latest_rtt_;
  sim::Duration min_rtt_;
  sim::Duration smoothed_rtt_;
  sim::Duration rttvar_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_RTT_ESTIMATOR_H_
