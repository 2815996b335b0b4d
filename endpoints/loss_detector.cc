#include "endpoints/loss_detector.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace quicsim::endpoints {
namespace {

constexpr PacketNumberSpace kSpaces[] = {PacketNumberSpace::kInitial,
                                         PacketNumberSpace::kHandshake,
                                         PacketNumberSpace::kApplication};

// d * 2^shift, saturating at Infinite.
sim::Duration Backoff(sim::Duration d, int shift) {
  if (d.IsInfinite()) return d;
  if (shift >= 62 ||
      d.nanos() > (std::numeric_limits<int64_t>::max() >> shift)) {
    return sim::Duration::Infinite();
  }
  return sim::Duration::Nanos(d.nanos() << shift);
}

sim::Duration SaturatingAdd(sim::Duration a, sim::Duration b) {
  if (a.IsInfinite() || b.IsInfinite() ||
      a.nanos() > std::numeric_limits<int64_t>::max() - b.nanos()) {
    return sim::Duration::Infinite();
  }
  return a + b;
}

}  // namespace

LossDetector::LossDetector(const Config& config)
    : config_(config), rtt_(config.initial_rtt), cc_(config.max_datagram_size) {
  rtt_.set_peer_max_ack_delay(config.peer_max_ack_delay);
}

void LossDetector::SetFlags(const RecoveryFlags& flags, sim::Time now) {
  flags_ = flags;
  rtt_.set_handshake_confirmed(flags.handshake_confirmed);
  SetTimer(now);
}

void LossDetector::OnPacketSent(PacketNumberSpace space, uint64_t packet_number,
                                sim::Time now, uint32_t bytes,
                                bool ack_eliciting, bool in_flight,
                                uint64_t token) {
  SpaceState& sp = S(space);
  QUICSIM_CHECK(!sp.has_sent || packet_number > sp.largest_sent);
  sp.has_sent = true;
  sp.largest_sent = packet_number;
  Entry e;
  e.info = {packet_number, now, token, bytes, ack_eliciting, in_flight};
  e.live = true;
  sp.packets.push_back(e);
  ++sp.live;
  if (in_flight) {
    if (ack_eliciting) {
      sp.last_ack_eliciting_sent = now;
      ++sp.ack_eliciting_in_flight;
    }
    cc_.OnPacketSent(bytes);
    SetTimer(now);
  }
}

void LossDetector::Remove(SpaceState& sp, Entry& e) {
  e.live = false;
  --sp.live;
  if (e.info.in_flight && e.info.ack_eliciting) --sp.ack_eliciting_in_flight;
}

void LossDetector::Compact(SpaceState& sp) {
  while (sp.head < sp.packets.size() && !sp.packets[sp.head].live) ++sp.head;
  if (sp.head == sp.packets.size()) {
    sp.packets.clear();
    sp.head = 0;
  } else if (sp.head >= 16 && sp.head * 2 >= sp.packets.size()) {
    sp.packets.erase(sp.packets.begin(), sp.packets.begin() + sp.head);
    sp.head = 0;
  }
}

absl::Status LossDetector::OnAckReceived(
    PacketNumberSpace space, absl::Span<const PacketNumberRange> ranges,
    sim::Duration ack_delay, sim::Time now, RecoveryOutcome* out) {
  out->Clear();
  out->space = space;
  SpaceState& sp = S(space);
  if (ranges.empty()) return absl::InvalidArgumentError("ACK without ranges");
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].smallest > ranges[i].largest ||
        (i > 0 && ranges[i].largest >= ranges[i - 1].smallest)) {
      return absl::InvalidArgumentError("ACK ranges not descending");
    }
  }
  const uint64_t largest = ranges[0].largest;
  if (!sp.has_sent || largest > sp.largest_sent) {
    return absl::InvalidArgumentError(
        absl::StrCat("ACK of unsent packet ", largest));
  }
  if (!sp.has_largest_acked || largest > sp.largest_acked) {
    sp.largest_acked = largest;
    sp.has_largest_acked = true;
  }

  // Newly acknowledged packets, walking ranges from lowest to highest.
  bool any_ack_eliciting = false;
  auto it = sp.packets.begin() + sp.head;
  for (size_t r = ranges.size(); r-- > 0;) {
    it = std::lower_bound(
        it, sp.packets.end(), ranges[r].smallest,
        [](const Entry& e, uint64_t pn) { return e.info.packet_number < pn; });
    for (;
         it != sp.packets.end() && it->info.packet_number <= ranges[r].largest;
         ++it) {
      if (!it->live) continue;
      any_ack_eliciting |= it->info.ack_eliciting;
      out->acked.push_back(it->info);
      Remove(sp, *it);
    }
  }
  if (out->acked.empty()) return absl::OkStatus();

  const SentPacketInfo& newest = out->acked.back();
  if (newest.packet_number == largest && any_ack_eliciting) {
    rtt_.OnSample(now - newest.time_sent, ack_delay, space);
    out->rtt_updated = true;
  }

  DetectLost(space, now, &out->lost);
  Compact(sp);
  OnLostToCc(out->lost, now);
  for (const SentPacketInfo& p : out->acked) {
    if (p.in_flight) cc_.OnPacketAcked(p.bytes, p.time_sent);
  }
  // A client unsure the server validated its address keeps backing off.
  if (flags_.peer_completed_address_validation) pto_count_ = 0;
  SetTimer(now);
  return absl::OkStatus();
}

void LossDetector::DetectLost(PacketNumberSpace space, sim::Time now,
                              std::vector<SentPacketInfo>* lost) {
  SpaceState& sp = S(space);
  sp.loss_time = sim::Time::Infinite();
  if (!sp.has_largest_acked) return;
  sim::Duration base = std::max(rtt_.latest_rtt(), rtt_.smoothed_rtt());
  sim::Duration loss_delay = std::max(
      base * kTimeThresholdNumerator / kTimeThresholdDenominator, kGranularity);
  sim::Time lost_send_time = now - loss_delay;
  for (size_t i = sp.head; i < sp.packets.size(); ++i) {
    Entry& e = sp.packets[i];
    if (e.info.packet_number > sp.largest_acked) break;
    if (!e.live) continue;
    if (e.info.time_sent <= lost_send_time ||
        sp.largest_acked >= e.info.packet_number + kPacketThreshold) {
      lost->push_back(e.info);
      Remove(sp, e);
    } else {
      sp.loss_time = std::min(sp.loss_time, e.info.time_sent + loss_delay);
    }
  }
}

void LossDetector::OnLostToCc(absl::Span<const SentPacketInfo> lost,
                              sim::Time now) {
  uint64_t bytes = 0;
  bool any = false;
  sim::Time last_sent;
  for (const SentPacketInfo& p : lost) {
    if (!p.in_flight) continue;
    bytes += p.bytes;
    last_sent = any ? std::max(last_sent, p.time_sent) : p.time_sent;
    any = true;
  }
  if (any) cc_.OnPacketsLost(bytes, last_sent, now);
}

bool LossDetector::HasAckElicitingInFlight() const {
  for (const SpaceState& sp : spaces_) {
    if (sp.ack_eliciting_in_flight > 0) return true;
  }
  return false;
}

size_t LossDetector::OutstandingPackets(PacketNumberSpace space) const {
  return S(space).live;
}

sim::Time LossDetector::EarliestLossTime(PacketNumberSpace* space) const {
  sim::Time t = sim::Time::Infinite();
  for (PacketNumberSpace s : kSpaces) {
    if (S(s).loss_time < t) {
      t = S(s).loss_time;
      *space = s;
    }
  }
  return t;
}

bool LossDetector::PtoEligibleInFlight() const {
  for (PacketNumberSpace s : kSpaces) {
    if (S(s).ack_eliciting_in_flight == 0) continue;
    if (s != PacketNumberSpace::kApplication || flags_.handshake_confirmed) {
      return true;
    }
  }
  return false;
}

sim::Time LossDetector::PtoTime(sim::Time now, PacketNumberSpace* space) const {
  sim::Duration duration = Backoff(rtt_.Pto(false), pto_count_);
  if (!PtoEligibleInFlight()) {
    // Anti-deadlock PTO (client before address validation), from now.
    *space = flags_.has_handshake_keys ? PacketNumberSpace::kHandshake
                                       : PacketNumberSpace::kInitial;
    return now + duration;
  }
  sim::Time timeout = sim::Time::Infinite();
  *space = PacketNumberSpace::kInitial;
  for (PacketNumberSpace s : kSpaces) {
    const SpaceState& sp = S(s);
    if (sp.ack_eliciting_in_flight == 0) continue;
    if (s == PacketNumberSpace::kApplication) {
      // No Application-space PTO before handshake confirmation.
      if (!flags_.handshake_confirmed) return timeout;
      duration = SaturatingAdd(duration,
                               Backoff(rtt_.peer_max_ack_delay(), pto_count_));
    }
    sim::Time t = sp.last_ack_eliciting_sent + duration;
    if (t < timeout) {
      timeout = t;
      *space = s;
    }
  }
  return timeout;
}

void LossDetector::SetTimer(sim::Time now) {
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  sim::Time loss_time = EarliestLossTime(&space);
  timer_is_loss_time_ = !loss_time.IsInfinite();
  if (timer_is_loss_time_) {
    timer_ = loss_time;
    timer_space_ = space;
    return;
  }
  if (flags_.at_anti_amplification_limit) {
    timer_ = sim::Time::Infinite();
    return;
  }
  if (!PtoEligibleInFlight() && flags_.peer_completed_address_validation) {
    timer_ = sim::Time::Infinite();
    return;
  }
  timer_ = PtoTime(now, &space);
  timer_space_ = space;
}

void LossDetector::OnLossDetectionTimeout(sim::Time now, RecoveryOutcome* out) {
  out->Clear();
  if (timer_.IsInfinite() || now < timer_) return;
  PacketNumberSpace space = PacketNumberSpace::kInitial;
  if (!EarliestLossTime(&space).IsInfinite()) {
    out->space = space;
    DetectLost(space, now, &out->lost);
    Compact(S(space));
    OnLostToCc(out->lost, now);
    SetTimer(now);
    return;
  }
  if (!PtoEligibleInFlight()) {
    out->probe.anti_deadlock = true;
    out->probe.count = 1;
    out->probe.space = flags_.has_handshake_keys ? PacketNumberSpace::kHandshake
                                                 : PacketNumberSpace::kInitial;
  } else {
    PtoTime(now, &space);
    out->probe.count = config_.pto_probe_count;
    out->probe.space = space;
  }
  out->space = out->probe.space;
  ++pto_count_;
  SetTimer(now);
}

void LossDetector::DiscardSpace(PacketNumberSpace space, sim::Time now,
                                std::vector<SentPacketInfo>* discarded) {
  SpaceState& sp = S(space);
  uint64_t bytes = 0;
  for (size_t i = sp.head; i < sp.packets.size(); ++i) {
    const Entry& e = sp.packets[i];
    if (!e.live) continue;
    if (e.info.in_flight) bytes += e.info.bytes;
    if (discarded != nullptr) discarded->push_back(e.info);
  }
  cc_.OnPacketsDiscarded(bytes);
  sp.packets.clear();
  sp.packets.shrink_to_fit();
  sp.head = 0;
  sp.live = 0;
  sp.ack_eliciting_in_flight = 0;
  sp.loss_time = sim::Time::Infinite();
  sp.last_ack_eliciting_sent = sim::Time();
  pto_count_ = 0;
  SetTimer(now);
}

}  // namespace quicsim::endpoints
