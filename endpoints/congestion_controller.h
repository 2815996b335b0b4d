// NewReno congestion control (RFC 9002 §7, Appendix B) and bytes in flight.
#ifndef QUICSIM_ENDPOINTS_CONGESTION_CONTROLLER_H_
#define QUICSIM_ENDPOINTS_CONGESTION_CONTROLLER_H_

#include <cstdint>

#include "sim/time.h"

namespace quicsim::endpoints {

// Tracks bytes in flight and a NewReno congestion window. Only packets that
// count as in flight are reported to it. Persistent congestion (§7.6) is not
// detected automatically; OnPersistentCongestion() applies its reaction.
class CongestionController {
 public:
  explicit CongestionController(uint64_t max_datagram_size = 1200);

  // RFC 9002 §7.2: min(10 * mds, max(14720, 2 * mds)).
  static uint64_t InitialWindow(uint64_t max_datagram_size);

  // An in-flight packet of `bytes` was sent.
  void OnPacketSent(uint64_t bytes);
  // An in-flight packet sent at `sent_time` was acknowledged.
  void OnPacketAcked(uint64_t bytes, sim::Time sent_time);
  // In-flight packets totalling `bytes` were declared lost; the newest was
  // sent at `last_loss_sent_time`. Reduces the window at most once per
  // recovery period.
  void OnPacketsLost(uint64_t bytes, sim::Time last_loss_sent_time,
                     sim::Time now);
  // In-flight packets of a discarded space leave the flight without a
  // congestion signal.
  void OnPacketsDiscarded(uint64_t bytes);
  // RFC 9002 §7.6.2: collapse the window to the minimum.
  void OnPersistentCongestion();

  uint64_t bytes_in_flight() const { return bytes_in_flight_; }
  uint64_t congestion_window() const { return cwnd_; }
  // UINT64_MAX until the first congestion event.
  uint64_t ssthresh() const { return ssthresh_; }
  // Bytes that may still be sent now (0 when the window is full).
  uint64_t AvailableWindow() const {
    return cwnd_ > bytes_in_flight_ ? cwnd_ - bytes_in_flight_ : 0;
  }
  bool InSlowStart() const { return cwnd_ < ssthresh_; }

 private:
  void RemoveFromFlight(uint64_t bytes);

  uint64_t max_datagram_size_;
  uint64_t bytes_in_flight_ = 0;
  uint64_t cwnd_;
  uint64_t ssthresh_ = UINT64_MAX;
  uint64_t bytes_acked_in_ca_ = 0;  // congestion avoidance accumulator
  bool in_recovery_ = false;
  sim::Time recovery_start_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_CONGESTION_CONTROLLER_H_
