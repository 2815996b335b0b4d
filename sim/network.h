// The simulated network: nodes receive datagrams at addresses, and routes
// map (src, dst) pairs onto one-way links. Many pairs may share a link (a
// bottleneck). Every drop the network itself makes ("no_route",
// "no_receiver") is traced; links trace their own decisions.
#ifndef QUICSIM_SIM_NETWORK_H_
#define QUICSIM_SIM_NETWORK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "sim/capture.h"
#include "sim/datagram.h"
#include "sim/impairment.h"
#include "sim/link.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "sim/wire_digest.h"

namespace quicsim::sim {

// A node's inbox.
class DatagramReceiver {
 public:
  virtual ~DatagramReceiver() = default;
  // Called at the virtual time the datagram arrives.
  virtual void OnDatagram(Datagram d) = 0;
};

// Owns the links and routes; delivers datagrams to registered receivers.
class Network {
 public:
  // `trace` may be null. `seed` is the run seed all link streams derive from.
  Network(Scheduler* scheduler, uint64_t seed, TraceSink* trace = nullptr);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  Scheduler* scheduler() const { return scheduler_; }
  TraceSink* trace() const { return trace_; }
  uint64_t seed() const { return seed_; }
  // Rng::ForStream(seed(), name): for impairments and other consumers.
  Rng MakeRng(std::string_view name) const {
    return Rng::ForStream(seed_, name);
  }

  // Receives datagrams addressed to `address`. AlreadyExists if taken.
  absl::Status Register(Address address, DatagramReceiver* receiver);
  // Stops delivery to `address`; later arrivals are dropped ("no_receiver").
  void Unregister(Address address);

  // Creates a link whose jitter draws come from stream "link/<name>/jitter".
  // Names must be unique (checked).
  Link* AddLink(std::string name, LinkConfig config);
  // The link called `name`, or null.
  Link* FindLink(std::string_view name) const;
  // Links in creation order.
  const std::vector<std::unique_ptr<Link>>& links() const { return links_; }
  // Routes datagrams from `src` to `dst` over `link` (replacing any route).
  void AddRoute(Address src, Address dst, Link* link);

  // Assigns the datagram a fresh id (returned) and hands it to its route's
  // link at Now(); with no route it is dropped and traced ("no_route").
  uint64_t Send(Datagram d);

  // Scripted mode for every link: each link takes the decisions naming it.
  void SetScript(const std::vector<Decision>& decisions);
  // Every recorded decision of every link (links in creation order).
  std::vector<Decision> RecordedDecisions() const;
  // Turns decision recording on or off for every link, present and future.
  void set_record_decisions(bool record);

  // Reports every datagram on every link, present and future, and the
  // network's own drops to `capture` (not owned; null to stop). Attaching
  // changes neither behaviour nor the trace.
  void set_capture(Capture* capture);
  Capture* capture() const { return capture_; }
  // Offers every datagram on every link, present and future, to `hook`
  // (not owned; null to stop); see sim/decision_hook.h.
  void set_decision_hook(DecisionHook* hook);
  // Feeds every datagram sent from now on to `digest` (not owned; null to
  // stop).
  void set_wire_digest(WireDigest* digest) { wire_digest_ = digest; }

  uint64_t sent() const { return sent_; }
  uint64_t delivered() const { return delivered_; }
  uint64_t dropped_no_route() const { return dropped_no_route_; }
  uint64_t dropped_no_receiver() const { return dropped_no_receiver_; }

 private:
  void Deliver(Datagram d);
  void TraceDrop(const Datagram& d, const char* reason);

  Scheduler* scheduler_;
  uint64_t seed_;
  TraceSink* trace_;
  bool record_decisions_ = false;
  Capture* capture_ = nullptr;
  DecisionHook* decision_hook_ = nullptr;
  WireDigest* wire_digest_ = nullptr;
  uint64_t next_id_ = 1;
  absl::flat_hash_map<Address, DatagramReceiver*> receivers_;
  std::vector<std::unique_ptr<Link>> links_;
  absl::flat_hash_map<std::string, Link*> links_by_name_;
  absl::flat_hash_map<std::pair<Address, Address>, Link*> routes_;
  uint64_t sent_ = 0;
  uint64_t delivered_ = 0;
  uint64_t dropped_no_route_ = 0;
  uint64_t dropped_no_receiver_ = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_NETWORK_H_
