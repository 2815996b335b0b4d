#include "sim/link.h"

#include <algorithm>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"

namespace quicsim::sim {

Link::Link(std::string name, LinkConfig config, Scheduler* scheduler,
           Rng jitter_rng, TraceSink* trace, DeliverFn deliver)
    : name_(std::move(name)),
      config_(config),
      scheduler_(scheduler),
      jitter_rng_(jitter_rng),
      trace_(trace),
      deliver_(std::move(deliver)) {}

Link::~Link() {
  for (TimerId id : in_flight_timers_) scheduler_->Cancel(id);
}

void Link::AddImpairment(std::unique_ptr<Impairment> impairment) {
  impairments_.push_back(std::move(impairment));
}

void Link::SetScript(std::vector<Decision> decisions) {
  script_.clear();
  for (Decision& d : decisions) {
    if (d.physical || !(d.link.empty() || d.link == name_)) continue;
    d.link = name_;
    script_.push_back(std::move(d));
  }
  std::stable_sort(
      script_.begin(), script_.end(),
      [](const Decision& a, const Decision& b) { return a.index < b.index; });
  script_pos_ = 0;
  scripted_ = true;
}

Duration Link::SerializationDelay(uint64_t wire_bytes) const {
  if (config_.bandwidth_bps == 0) return Duration::Zero();
  const unsigned __int128 bits_ns =
      static_cast<unsigned __int128>(wire_bytes) * 8 * 1000000000ULL;
  const unsigned __int128 ns =
      (bits_ns + config_.bandwidth_bps - 1) / config_.bandwidth_bps;
  return Duration::Nanos(static_cast<int64_t>(ns));
}

void Link::Drain(Time now) {
  while (!queue_.empty() && queue_.front().tx_end <= now) {
    queue_bytes_ -= queue_.front().wire_bytes;
    queue_.pop_front();
  }
}

uint64_t Link::queued_bytes() {
  Drain(scheduler_->Now());
  return queue_bytes_;
}

uint64_t Link::queued_packets() {
  Drain(scheduler_->Now());
  return queue_.size();
}

LinkEvent Link::MakeEvent(LinkEvent::Kind kind, uint64_t index,
                          uint64_t datagram_id) const {
  LinkEvent e;
  e.kind = kind;
  e.link_id = id_;
  e.pair = pair_;
  e.index = index;
  e.datagram_id = datagram_id;
  return e;
}

void Link::Record(Decision& d) {
  if (TraceOn(trace_)) {
    LinkEvent e = MakeEvent(LinkEvent::Kind::kDecision, d.index, 0);
    e.decision = &d;
    trace_->Record(scheduler_->Now(), name_, ActionName(d.action), d.ToString(),
                   &e);
  }
  if (record_decisions_) decisions_.push_back(d);
}

inline void Link::PhysicalDrop(uint64_t index, const char* reason) {
  Decision decision;
  decision.link = name_;
  decision.index = index;
  decision.action = Action::kDrop;
  decision.reason = reason;
  decision.physical = true;
  Record(decision);
  if (capture_ != nullptr) capture_->OnDrop(name_, index, reason);
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline void Link::TraceSend(Time now,
                                                         uint64_t index,
                                                         const Datagram& d) {
  const LinkEvent e = MakeEvent(LinkEvent::Kind::kSend, index, d.id);
  trace_->Record(
      now, name_, "send",
      absl::StrCat("index=", index, " id=", d.id, " ", d.src.ToString(), ">",
                   d.dst.ToString(), " len=", d.payload.size()),
      &e);
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline void Link::CollectDecisions(
    const Datagram& d, uint64_t index, Time now) {
  scratch_.clear();
  if (scripted_) {
    while (script_pos_ < script_.size() && script_[script_pos_].index < index) {
      ++script_pos_;
    }
    while (script_pos_ < script_.size() &&
           script_[script_pos_].index == index) {
      scratch_.push_back(script_[script_pos_++]);
    }
  } else {
    for (auto& impairment : impairments_) {
      const size_t first = scratch_.size();
      impairment->Decide(d, index, now, &scratch_);
      StampDecisions(first, index);
    }
  }
  if (hook_ != nullptr) {
    const size_t first = scratch_.size();
    hook_->OnDatagram(name_, index, d, &scratch_);
    StampDecisions(first, index);
  }
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline void Link::StampDecisions(size_t first,
                                                              uint64_t index) {
  for (size_t i = first; i < scratch_.size(); ++i) {
    scratch_[i].link = name_;
    scratch_[i].index = index;
  }
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline Link::Effects Link::ApplyDecisions(
    Datagram& d) {
  Effects fx;
  for (Decision& decision : scratch_) {
    Record(decision);
    switch (decision.action) {
      case Action::kDrop:
        fx.dropped = true;
        break;
      case Action::kDelay:
        fx.fifo_extra += decision.delay;
        break;
      case Action::kReorder:
        fx.reorder = true;
        fx.reorder_extra += decision.delay;
        fx.until_next = fx.until_next || decision.until_next;
        break;
      case Action::kDuplicate:
        fx.copies += decision.copies;
        break;
      case Action::kCorrupt:
        for (uint32_t bit : decision.bits) {
          // Scripts may come from files: ignore positions out of range.
          if (bit / 8 < d.payload.size()) {
            d.payload[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
          }
        }
        ++stats_.corrupted;
        break;
    }
  }
  return fx;
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool Link::Enqueue(Time now, uint64_t wire,
                                                       uint64_t index,
                                                       Time* tx_end) {
  *tx_end = now;
  if (config_.bandwidth_bps == 0) return true;
  Drain(now);
  if ((config_.queue_limit_bytes != 0 &&
       queue_bytes_ + wire > config_.queue_limit_bytes) ||
      (config_.queue_limit_packets != 0 &&
       queue_.size() + 1 > config_.queue_limit_packets)) {
    ++stats_.dropped_queue;
    PhysicalDrop(index, "queue_full");
    return false;
  }
  const Time tx_start = std::max(now, tx_free_at_);
  *tx_end = tx_start + SerializationDelay(wire);
  tx_free_at_ = *tx_end;
  queue_.push_back(Queued{*tx_end, wire});
  queue_bytes_ += wire;
  return true;
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline Time Link::ArrivalTime(Time tx_end,
                                                           const Effects& fx,
                                                           Time* unreordered) {
  Time arrival = tx_end + config_.delay;
  if (config_.jitter > Duration::Zero()) {
    arrival += Duration::Nanos(static_cast<int64_t>(jitter_rng_.Uniform(
        static_cast<uint64_t>(config_.jitter.nanos()) + 1)));
  }
  // When this datagram would arrive without reordering: a held datagram is
  // released to arrive right after it.
  *unreordered = std::max(arrival + fx.fifo_extra, last_fifo_arrival_);
  if (fx.reorder) {
    ++stats_.reordered;
    arrival += fx.reorder_extra;
  } else {
    arrival += fx.fifo_extra;
    arrival = std::max(arrival, last_fifo_arrival_);
    last_fifo_arrival_ = arrival;
  }
  return arrival;
}

void Link::Send(Datagram d) {
  const Time now = scheduler_->Now();
  const uint64_t index = next_index_++;
  ++stats_.entered;
  const uint64_t wire = d.payload.size() + config_.overhead_bytes;
  if (TraceOn(trace_)) TraceSend(now, index, d);
  if (capture_ != nullptr) capture_->OnEnter(name_, index, d, now);
  if (config_.mtu != 0 && wire > config_.mtu) {
    ++stats_.dropped_mtu;
    PhysicalDrop(index, "mtu");
    return;
  }

  CollectDecisions(d, index, now);
  const Effects fx = ApplyDecisions(d);
  if (capture_ != nullptr) CaptureDecisions(index, d);
  if (fx.dropped) {
    ++stats_.dropped_impairment;
    return;
  }
  Time tx_end;
  if (!Enqueue(now, wire, index, &tx_end)) return;
  Time unreordered;
  const Time arrival = ArrivalTime(tx_end, fx, &unreordered);

  // Copies are identical to the original, so their relative order is moot.
  stats_.duplicated += fx.copies;
  for (uint32_t i = 0; i < fx.copies; ++i) ScheduleDelivery(arrival, index, d);
  const uint32_t slot = ScheduleDelivery(arrival, index, std::move(d));
  const bool hold = fx.reorder && fx.until_next;
  ReleaseHeld(hold ? unreordered : arrival);
  if (hold) {
    held_ = true;
    held_slot_ = slot;
    held_at_ = arrival;
  }
}

void Link::ReleaseHeld(Time at) {
  if (!held_) return;
  held_ = false;
  if (at >= held_at_) return;
  // Re-scheduled after the datagram just scheduled at `at`: ties run in
  // insertion order, so the held one arrives second.
  scheduler_->Cancel(in_flight_timers_[held_slot_]);
  const uint32_t slot = held_slot_;
  in_flight_timers_[slot] = scheduler_->At(at, [this, slot] { Deliver(slot); });
}

void Link::CaptureDecisions(uint64_t index, const Datagram& d) {
  for (const Decision& decision : scratch_) {
    switch (decision.action) {
      case Action::kDrop:
        capture_->OnDrop(name_, index, decision.reason);
        break;
      case Action::kReorder:
        capture_->OnReorder(name_, index);
        break;
      case Action::kDuplicate:
        capture_->OnDuplicate(name_, index, decision.copies);
        break;
      case Action::kCorrupt:
        capture_->OnCorrupt(name_, index, d.payload);
        break;
      case Action::kDelay:
        break;
    }
  }
}

uint32_t Link::ScheduleDelivery(Time at, uint64_t index, Datagram d) {
  uint32_t slot;
  if (!free_in_flight_.empty()) {
    slot = free_in_flight_.back();
    free_in_flight_.pop_back();
    in_flight_[slot] = InFlight{std::move(d), index};
  } else {
    slot = static_cast<uint32_t>(in_flight_.size());
    in_flight_.push_back(InFlight{std::move(d), index});
    in_flight_timers_.emplace_back();
  }
  ++in_flight_count_;
  in_flight_timers_[slot] = scheduler_->At(at, [this, slot] { Deliver(slot); });
  return slot;
}

void Link::Deliver(uint32_t slot) {
  Datagram d = std::move(in_flight_[slot].datagram);
  const uint64_t index = in_flight_[slot].index;
  in_flight_[slot].datagram = Datagram();
  in_flight_timers_[slot] = TimerId();
  free_in_flight_.push_back(slot);
  --in_flight_count_;
  if (held_ && held_slot_ == slot) held_ = false;
  ++stats_.delivered;
  if (capture_ != nullptr) capture_->OnDeliver(name_, index, scheduler_->Now());
  if (TraceOn(trace_)) {
    const LinkEvent e = MakeEvent(LinkEvent::Kind::kDeliver, index, d.id);
    trace_->Record(
        scheduler_->Now(), name_, "deliver",
        absl::StrCat("index=", index, " id=", d.id, " len=", d.payload.size()),
        &e);
  }
  deliver_(std::move(d));
}

}  // namespace quicsim::sim
