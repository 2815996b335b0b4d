// Which packets (typed endpoint events) went into which datagram (the
// link's typed send record names it).
#ifndef QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_
#define QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// The packets a datagram carried, from the endpoint's packet_sent events.
struct DatagramPackets {
  std::string actor;                            // "pair/0/client"
  std::vector<const sim::TraceEvent*> packets;  // packet_sent events
};

// Maps datagram ids to the packets sent (typed endpoint events) just before the
// link "send" (or network "drop") event that names the id. Events must outlive
// the result.
absl::flat_hash_map<uint64_t, DatagramPackets> MatchPacketsToDatagrams(
    const std::vector<sim::TraceEvent>& events);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_TRACE_DETAILS_H_
