#include "endpoints/ack_tracker.h"

#include <algorithm>

namespace quicsim::endpoints {

AckTracker::AckTracker(const Config& config) : config_(config) {
  if (config_.max_ack_ranges == 0) config_.max_ack_ranges = 1;
  if (config_.max_tracked_ranges < config_.max_ack_ranges) {
    config_.max_tracked_ranges = config_.max_ack_ranges;
  }
}

bool AckTracker::IsDuplicate(uint64_t pn) const {
  return pn < min_tracked_ || received_.Contains(pn);
}

bool AckTracker::HasGap(uint64_t from, uint64_t to) const {
  return !received_.Covers(from, to);
}

void AckTracker::OnPacketReceived(uint64_t pn, bool ack_eliciting,
                                  sim::Time now) {
  if (IsDuplicate(pn)) return;
  bool immediate = false;
  if (ack_eliciting) {
    if (config_.space != PacketNumberSpace::kApplication) {
      // RFC 9000 §13.2.1: Initial and Handshake are acknowledged at once.
      immediate = true;
    } else if (has_ack_eliciting_ && pn < largest_ack_eliciting_) {
      // Arrived after a higher-numbered ack-eliciting packet.
      immediate = true;
    } else {
      // Missing packets between the previous largest ack-eliciting packet
      // (or the bottom of the window) and this one.
      uint64_t from = has_ack_eliciting_
                          ? std::max(largest_ack_eliciting_ + 1, min_tracked_)
                          : min_tracked_;
      immediate = pn > from && HasGap(from, pn);
    }
  }

  if (received_.empty() || pn > largest_) {
    largest_ = pn;
    largest_time_ = now;
  }
  received_.Add(pn, pn + 1);
  if (received_.size() > config_.max_tracked_ranges) {
    received_.PopFront();
    min_tracked_ = received_.front().start;
  }
  new_packets_ = true;

  if (!ack_eliciting) return;
  if (!has_ack_eliciting_ || pn > largest_ack_eliciting_) {
    largest_ack_eliciting_ = pn;
    has_ack_eliciting_ = true;
  }
  if (ack_eliciting_since_ack_ == 0) first_ack_eliciting_time_ = now;
  ++ack_eliciting_since_ack_;
  if (config_.space == PacketNumberSpace::kApplication &&
      ack_eliciting_since_ack_ >= config_.ack_eliciting_threshold) {
    immediate = true;
  }
  if (immediate && immediate_since_ == sim::Time::Infinite()) {
    immediate_since_ = now;
  }
}

sim::Time AckTracker::Deadline() const {
  if (immediate_since_ != sim::Time::Infinite()) return immediate_since_;
  if (ack_eliciting_since_ack_ > 0) {
    return first_ack_eliciting_time_ + config_.max_ack_delay;
  }
  return sim::Time::Infinite();
}

void AckTracker::GetAckRanges(std::vector<PacketNumberRange>* out) const {
  out->clear();
  size_t n = std::min(received_.size(), config_.max_ack_ranges);
  for (size_t i = 0; i < n; ++i) {
    const Interval& iv = received_[received_.size() - 1 - i];
    out->push_back({iv.start, iv.end - 1});
  }
}

sim::Duration AckTracker::AckDelay(sim::Time now) const {
  if (received_.empty() || now < largest_time_) return sim::Duration::Zero();
  return now - largest_time_;
}

void AckTracker::OnAckSent() {
  new_packets_ = false;
  ack_eliciting_since_ack_ = 0;
  immediate_since_ = sim::Time::Infinite();
  first_ack_eliciting_time_ = sim::Time::Infinite();
}

void AckTracker::OnAckOfAckReceived(uint64_t largest_acked) {
  if (largest_acked < min_tracked_) return;
  // Keep at least the largest packet so the next ACK is never empty.
  uint64_t bound = std::min(largest_acked, largest_);
  received_.RemoveBelow(bound);
  min_tracked_ = std::max(min_tracked_, bound);
}

}  // namespace quicsim::endpoints
