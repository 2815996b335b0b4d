// A one-way link: impairments, a bounded FIFO queue drained at the link's
// bandwidth, then propagation delay plus jitter.
//
// A datagram entering the link at time t, of wire size w = payload +
// overhead_bytes:
//  1. gets the next per-link index (0, 1, 2, ...);
//  2. is dropped ("mtu") if w > mtu;
//  3. goes through the impairments in the order added (or, in scripted mode,
//     through the scripted decisions for its index);
//  4. is tail-dropped ("queue_full") if the bytes/packets not yet fully
//     serialised (including the one in service) plus it exceed a limit;
//  5. is serialised from max(t, end of previous serialisation) for
//     ceil(w * 8e9 / bandwidth_bps) ns;
//  6. arrives after delay + uniform jitter in [0, jitter] + any kDelay extra,
//     but never before an earlier non-reordered datagram (jitter and kDelay
//     never reorder). A kReorder datagram arrives after its extra delay with
//     no FIFO clamp and does not hold back later datagrams. Duplicates
//     arrive right after their original, at the same time, without using
//     bandwidth; corruption is applied before duplication. A kReorder with
//     until_next is held until the link schedules its next datagram and
//     then arrives right after that one (or after its delay if that is
//     sooner).
#ifndef QUICSIM_SIM_LINK_H_
#define QUICSIM_SIM_LINK_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/capture.h"
#include "sim/datagram.h"
#include "sim/decision_hook.h"
#include "sim/impairment.h"
#include "sim/link_event.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace quicsim::sim {

// Physical properties of a link. Zero limits mean "unlimited".
struct LinkConfig {
  Duration delay = Duration::Zero();   // propagation delay
  Duration jitter = Duration::Zero();  // extra uniform delay in [0, jitter]
  uint64_t bandwidth_bps = 0;          // bits per second; 0: infinite
  uint64_t queue_limit_bytes = 0;      // wire bytes; 0: unbounded
  uint64_t queue_limit_packets = 0;    // datagrams; 0: unbounded
  uint32_t mtu = 1500;                 // max wire size; 0: unlimited
  uint32_t overhead_bytes = 28;        // per-datagram IPv4+UDP headers
};

// Counters for one link.
struct LinkStats {
  uint64_t entered = 0;    // datagrams that got an index
  uint64_t delivered = 0;  // deliveries, duplicates included
  uint64_t dropped_mtu = 0;
  uint64_t dropped_queue = 0;
  uint64_t dropped_impairment = 0;
  uint64_t reordered = 0;
  uint64_t duplicated = 0;  // extra copies made
  uint64_t corrupted = 0;
};

// A one-way link; see the file comment for the exact model.
class Link {
 public:
  using DeliverFn = absl::AnyInvocable<void(Datagram)>;

  // `jitter_rng` drives the jitter draws only; impairments bring their own
  // streams. `trace` may be null.
  Link(std::string name, LinkConfig config, Scheduler* scheduler,
       Rng jitter_rng, TraceSink* trace, DeliverFn deliver);
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link();

  const std::string& name() const { return name_; }
  // The network's number for this link and the pair it carries (-1: shared
  // or none); both go into the typed record of its trace events.
  int32_t id() const { return id_; }
  int32_t pair() const { return pair_; }
  void set_id(int32_t id) { id_ = id; }
  void set_pair(int32_t pair) { pair_ = pair; }
  const LinkConfig& config() const { return config_; }
  // Replaces delay, jitter, bandwidth, queue limits and MTU for datagrams
  // entering from now on (datagrams already queued or in flight keep their
  // schedule; arrivals stay in order unless a reorder impairment says
  // otherwise).
  void set_config(const LinkConfig& config) { config_ = config; }

  // Appends an impairment; impairments run in the order added.
  void AddImpairment(std::unique_ptr<Impairment> impairment);

  // Scripted mode: apply exactly `decisions` (those whose `link` is this
  // link's name or empty, and that are not `physical`) by index, instead of
  // consulting the impairments. Replaces any previous script.
  void SetScript(std::vector<Decision> decisions);
  bool scripted() const { return scripted_; }

  // Keep every decision (impairment and physical) in decisions().
  void set_record_decisions(bool record) { record_decisions_ = record; }
  const std::vector<Decision>& decisions() const { return decisions_; }

  // Reports every datagram and its fate to `capture` (not owned; null to
  // stop). Changes nothing else.
  void set_capture(Capture* capture) { capture_ = capture; }

  // Every datagram is offered to `hook` (not owned; null to stop) after the
  // impairment or script stage; see sim/decision_hook.h.
  void set_decision_hook(DecisionHook* hook) { hook_ = hook; }

  // Accepts a datagram at Scheduler::Now().
  void Send(Datagram d);

  // Serialisation time of `wire_bytes` at this link's bandwidth.
  Duration SerializationDelay(uint64_t wire_bytes) const;
  // Wire bytes / datagrams not yet fully serialised at Now().
  uint64_t queued_bytes();
  uint64_t queued_packets();
  const LinkStats& stats() const { return stats_; }
  // Datagrams scheduled for delivery and not yet delivered.
  size_t in_flight() const { return in_flight_count_; }

 private:
  struct Queued {
    Time tx_end;
    uint64_t wire_bytes;
  };
  // What the impairment stage decided for one datagram, summed over its
  // decisions.
  struct Effects {
    bool dropped = false;
    bool reorder = false;
    bool until_next = false;
    Duration fifo_extra;     // kDelay: extra delay, FIFO order kept
    Duration reorder_extra;  // kReorder: extra delay, no FIFO clamp
    uint32_t copies = 0;     // kDuplicate: extra copies
  };
  // The stages of Send, in order (see the file comment).
  void TraceSend(Time now, uint64_t index, const Datagram& d);
  // Records a physical ("mtu", "queue_full") drop of the `index`-th datagram.
  void PhysicalDrop(uint64_t index, const char* reason);
  // Fills scratch_ with the script's or the impairments' decisions, then the
  // hook's.
  void CollectDecisions(const Datagram& d, uint64_t index, Time now);
  // Stamps scratch_[first..] with this link's name and `index`.
  void StampDecisions(size_t first, uint64_t index);
  // Records scratch_, applies corruption to `d` and sums the rest.
  Effects ApplyDecisions(Datagram& d);
  // Queues `wire` bytes for serialisation; false (and a "queue_full" drop)
  // if a queue limit is exceeded. Sets `*tx_end` to when the last bit leaves.
  bool Enqueue(Time now, uint64_t wire, uint64_t index, Time* tx_end);
  // When a datagram whose last bit leaves at `tx_end` arrives: propagation,
  // jitter and `fx`'s extra delays, FIFO-clamped unless reordered. Sets
  // `*unreordered` to when it would arrive without reordering.
  Time ArrivalTime(Time tx_end, const Effects& fx, Time* unreordered);
  void Drain(Time now);
  void Record(Decision& d);
  // The typed record of an event about the `index`-th datagram.
  LinkEvent MakeEvent(LinkEvent::Kind kind, uint64_t index,
                      uint64_t datagram_id) const;
  void CaptureDecisions(uint64_t index, const Datagram& d);
  uint32_t ScheduleDelivery(Time at, uint64_t index, Datagram d);
  // Releases a datagram held by a kReorder/until_next decision to arrive
  // right after one scheduled at `at` (if that is sooner than its fallback).
  void ReleaseHeld(Time at);
  void Deliver(uint32_t slot);

  std::string name_;
  int32_t id_ = -1;
  int32_t pair_ = -1;
  LinkConfig config_;
  Scheduler* scheduler_;
  Rng jitter_rng_;
  TraceSink* trace_;
  Capture* capture_ = nullptr;
  DecisionHook* hook_ = nullptr;
  DeliverFn deliver_;
  std::vector<std::unique_ptr<Impairment>> impairments_;

  bool scripted_ = false;
  std::vector<Decision> script_;  // sorted by index, stable
  size_t script_pos_ = 0;

  bool record_decisions_ = false;
  std::vector<Decision> decisions_;
  std::vector<Decision> scratch_;

  uint64_t next_index_ = 0;
  Time tx_free_at_ = Time::Zero();  // when the transmitter is next idle
  Time last_fifo_arrival_ = Time::Zero();
  std::deque<Queued> queue_;
  uint64_t queue_bytes_ = 0;

  // Datagrams awaiting delivery, referenced by slot from scheduler events.
  struct InFlight {
    Datagram datagram;
    uint64_t index;
  };
  std::vector<InFlight> in_flight_;
  std::vector<TimerId> in_flight_timers_;
  std::vector<uint32_t> free_in_flight_;
  size_t in_flight_count_ = 0;
  // The datagram held by a kReorder/until_next decision, if any.
  bool held_ = false;
  uint32_t held_slot_ = 0;
  Time held_at_;

  LinkStats stats_;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_LINK_H_
