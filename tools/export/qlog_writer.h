// qlog export: one JSON-SEQ ".sqlog" file per connection side, in the
// qlog 0.3 dialect that qvis loads and ngtcp2 writes (header record with
// qlog_version "0.3" and qlog_format "JSON-SEQ"; events named
// transport:packet_sent, transport:packet_received,
// transport:packet_dropped, transport:parameters_set, security:key_updated,
// security:key_discarded, recovery:metrics_updated,
// connectivity:connection_closed, connectivity:connection_state_updated).
// Times are virtual milliseconds (time_format "relative", reference_time 0).
// Trace events with no qlog counterpart become "quicsim:<kind>" events
// carrying the raw details.
//
// Derived from the endpoint trace only, so it shows what the trace holds:
// packet types, numbers, sizes and the frames packet_sent lists; no
// transport parameter values and no RTT or window metrics (the trace does
// not record them); metrics_updated carries pto_count.
#ifndef QUICSIM_TOOLS_EXPORT_QLOG_WRITER_H_
#define QUICSIM_TOOLS_EXPORT_QLOG_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// The actors in `events` that are connection sides ("pair/0/client",
// "pair/0/server"), in order of first appearance.
std::vector<std::string> ConnectionActors(
    const std::vector<sim::TraceEvent>& events);

// The .sqlog contents for `actor` (vantage point client when the actor ends
// in "/client", else server).
std::string BuildQlog(const std::vector<sim::TraceEvent>& events,
                      const std::string& actor);

// Writes one file per connection actor, "<base>.<actor>.sqlog" with '/' in
// the actor replaced by '_', atomically. Returns the paths written.
absl::Status WriteQlogs(const std::vector<sim::TraceEvent>& events,
                        const std::string& base,
                        std::vector<std::string>* paths = nullptr);

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_QLOG_WRITER_H_
