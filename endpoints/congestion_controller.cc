#include "endpoints/congestion_controller.h"

#include <algorithm>

namespace quicsim::endpoints {

uint64_t CongestionController::InitialWindow(uint64_t max_datagram_size) {
  return std::min<uint64_t>(10 * max_datagram_size,
                            std::max<uint64_t>(14720, 2 * max_datagram_size));
}

CongestionController::CongestionController(uint64_t max_datagram_size)
    : max_datagram_size_(max_datagram_size),
      cwnd_(InitialWindow(max_datagram_size)) {}

void CongestionController::OnPacketSent(uint64_t bytes) {
  bytes_in_flight_ += bytes;
}

void CongestionController::RemoveFromFlight(uint64_t bytes) {
  bytes_in_flight_ = bytes_in_flight_ > bytes ? bytes_in_flight_ - bytes : 0;
}

void CongestionController::OnPacketAcked(uint64_t bytes, sim::Time sent_time) {
  RemoveFromFlight(bytes);
  // Packets sent before the recovery period started do not grow the window.
  if (in_recovery_ && sent_time <= recovery_start_) return;
  if (cwnd_ < ssthresh_) {
    cwnd_ += bytes;  // slow start
    return;
  }
  // Congestion avoidance: one datagram per window of acknowledged bytes.
  bytes_acked_in_ca_ += bytes;
  if (bytes_acked_in_ca_ >= cwnd_) {
    bytes_acked_in_ca_ -= cwnd_;
    cwnd_ += max_datagram_size_;
  }
}

void CongestionController::OnPacketsLost(uint64_t bytes,
                                         sim::Time last_loss_sent_time,
                                         sim::Time now) {
  RemoveFromFlight(bytes);
  if (in_recovery_ && last_loss_sent_time <= recovery_start_) return;
  in_recovery_ = true;
  recovery_start_ = now;
  ssthresh_ = cwnd_ / 2;
  cwnd_ = std::max(ssthresh_, 2 * max_datagram_size_);
  bytes_acked_in_ca_ = 0;
}

void CongestionController::OnPacketsDiscarded(uint64_t bytes) {
  RemoveFromFlight(bytes);
}

void CongestionController::OnPersistentCongestion() {
  cwnd_ = 2 * max_datagram_size_;
  in_recovery_ = false;
  bytes_acked_in_ca_ = 0;
}

}  // namespace quicsim::endpoints
