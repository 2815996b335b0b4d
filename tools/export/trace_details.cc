#include "tools/export/trace_details.h"

#include "endpoints/connection_event.h"
#include "sim/link_event.h"

namespace quicsim::exporter {

absl::flat_hash_map<uint64_t, DatagramPackets> MatchPacketsToDatagrams(
    const std::vector<sim::TraceEvent>& events) {
  absl::flat_hash_map<uint64_t, DatagramPackets> out;
  DatagramPackets pending;
  for (const sim::TraceEvent& e : events) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    if (typed != nullptr &&
        (typed->get<endpoints::events::PacketSent>() != nullptr ||
         typed->get<endpoints::events::VersionProbeSent>() != nullptr ||
         typed->get<endpoints::events::StatelessPacketSent>() != nullptr)) {
      if (!pending.packets.empty() && pending.actor != e.actor) {
        pending.packets.clear();
      }
      pending.actor = e.actor;
      pending.packets.push_back(&e);
    } else if (typed != nullptr &&
               typed->get<endpoints::events::DatagramLostByFault>() !=
                   nullptr) {
      pending.packets.clear();
    } else if (const sim::LinkEvent* link = sim::LinkEventOf(e);
               link != nullptr &&
               (link->kind == sim::LinkEvent::Kind::kSend ||
                link->kind == sim::LinkEvent::Kind::kNetworkDrop)) {
      if (!pending.packets.empty()) out[link->datagram_id] = pending;
      pending.packets.clear();
    }
  }
  return out;
}

}  // namespace quicsim::exporter
