// sim::Capture: a passive tap on the network that keeps every datagram's
// bytes and what happened to it, for exporters (pcap, qlog, ladder
// diagrams). Links and the network call it only when one is attached
// (Network::set_capture), so without it the cost is one null check per
// datagram; attaching it changes neither behaviour nor the trace digest
// (it draws no randomness and records nothing in the trace).
//
// One CapturedDatagram per datagram that entered a link (or was dropped by
// the network for want of a route), in the order they entered. Link
// datagrams are identified by (link name, per-link index).
#ifndef QUICSIM_SIM_CAPTURE_H_
#define QUICSIM_SIM_CAPTURE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/datagram.h"
#include "sim/time.h"

namespace quicsim::sim {

// One arrival of a datagram (a duplicated datagram arrives more than once).
struct CapturedDelivery {
  Time time;
  // False when the datagram reached the destination address but nothing was
  // registered there (network drop "no_receiver").
  bool received = true;
};

// Everything known about one datagram.
struct CapturedDatagram {
  uint64_t id = 0;     // Network::Send's id
  std::string link;    // empty for a "no_route" drop
  uint64_t index = 0;  // per-link index
  Address src;
  Address dst;
  Time sent;                     // when it entered the link
  std::vector<uint8_t> payload;  // as sent
  // Set when an impairment flipped bits: the bytes as they arrive.
  bool corrupted = false;
  std::vector<uint8_t> corrupted_payload;
  bool reordered = false;
  uint32_t copies = 0;  // extra copies made by duplication
  // Dropped on the link or by the network; `drop_reason` is the decision's
  // reason ("bernoulli", "mtu", "queue_full", "no_route", ...).
  bool dropped = false;
  std::string drop_reason;
  std::vector<CapturedDelivery> deliveries;  // in arrival order

  // The bytes the receiver sees: corrupted_payload when corrupted.
  const std::vector<uint8_t>& arrived_payload() const {
    return corrupted ? corrupted_payload : payload;
  }
};

// The tap; see the file comment. Not copyable (links point at it).
class Capture {
 public:
  Capture() = default;
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  // All datagrams, in the order they entered the network.
  const std::vector<CapturedDatagram>& datagrams() const { return datagrams_; }
  // Forgets everything captured so far.
  void Clear();

  // Hooks for Link and Network; not for other callers.
  void OnEnter(std::string_view link, uint64_t index, const Datagram& d,
               Time now);
  void OnDrop(std::string_view link, uint64_t index, std::string_view reason);
  void OnCorrupt(std::string_view link, uint64_t index,
                 const std::vector<uint8_t>& payload);
  void OnReorder(std::string_view link, uint64_t index);
  void OnDuplicate(std::string_view link, uint64_t index, uint32_t copies);
  void OnDeliver(std::string_view link, uint64_t index, Time now);
  // The delivery reported last found no receiver.
  void OnNoReceiver();
  // Dropped before any link ("no_route").
  void OnNetworkDrop(const Datagram& d, Time now, std::string_view reason);

 private:
  CapturedDatagram* Find(std::string_view link, uint64_t index);

  std::vector<CapturedDatagram> datagrams_;
  // (link name, index) -> position in datagrams_.
  absl::flat_hash_map<std::pair<std::string, uint64_t>, size_t> by_link_;
  size_t last_delivered_ = SIZE_MAX;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_CAPTURE_H_
