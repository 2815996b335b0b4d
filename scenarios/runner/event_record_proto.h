// The typed fields of a trace file's events (trace.proto's PacketRecord,
// KeysRecord, TlsRecord, TimerRecord, VerdictRecord), filled from the typed
// connection events the endpoints recorded; the event's text line stays for
// the digest.
#ifndef QUICSIM_SCENARIOS_RUNNER_EVENT_RECORD_PROTO_H_
#define QUICSIM_SCENARIOS_RUNNER_EVENT_RECORD_PROTO_H_

#include "endpoints/connection_event.h"
#include "scenarios/runner/trace.pb.h"
#include "sim/trace.h"

namespace quicsim::scenarios {

// Sets `out`'s record from `event` (packets sent, received, dropped and
// lost; keys; TLS events and messages; timers; verdicts). Other kinds leave
// the record unset.
void ConnectionEventToProto(const endpoints::ConnectionEvent& event,
                            trace::Event* out);

// One recorded event as the trace file stores it: its text line, its pair
// (the link's for link events, else `pair_of_actor`), its network decision
// with the link's id (from the link's typed record), and the typed record
// of a connection event.
void TraceEventToProto(const sim::TraceEvent& event, int pair_of_actor,
                       trace::Event* out);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_RUNNER_EVENT_RECORD_PROTO_H_
