#include "endpoints/rtt_estimator.h"

#include <algorithm>

namespace quicsim::endpoints {

RttEstimator::RttEstimator(sim::Duration initial_rtt)
    : smoothed_rtt_(initial_rtt), rttvar_(initial_rtt / 2) {}

void RttEstimator::OnSample(sim::Duration latest_rtt, sim::Duration ack_delay,
                            PacketNumberSpace space) {
  if (latest_rtt < sim::Duration::Zero()) latest_rtt = sim::Duration::Zero();
  latest_rtt_ = latest_rtt;
  if (!has_sample_) {
    has_sample_ = true;
    min_rtt_ = latest_rtt;
    smoothed_rtt_ = latest_rtt;
    rttvar_ = latest_rtt / 2;
    return;
  }
  min_rtt_ = std::min(min_rtt_, latest_rtt);
  // Initial ACKs are never delayed by the peer (RFC 9002 §5.3).
  if (space == PacketNumberSpace::kInitial ||
      ack_delay < sim::Duration::Zero()) {
    ack_delay = sim::Duration::Zero();
  }
  if (handshake_confirmed_) ack_delay = std::min(ack_delay, max_ack_delay_);
  sim::Duration adjusted = latest_rtt;
  if (latest_rtt >= min_rtt_ + ack_delay) adjusted = latest_rtt - ack_delay;
  sim::Duration diff = smoothed_rtt_ > adjusted ? smoothed_rtt_ - adjusted
                                                : adjusted - smoothed_rtt_;
  rttvar_ = (rttvar_ * 3 + diff) / 4;
  smoothed_rtt_ = (smoothed_rtt_ * 7 + adjusted) / 8;
}

sim::Duration RttEstimator::Pto(bool include_max_ack_delay) const {
  sim::Duration pto = smoothed_rtt_ + std::max(rttvar_ * 4, kGranularity);
  if (include_max_ack_delay) pto += max_ack_delay_;
  return pto;
}

}  // namespace quicsim::endpoints
