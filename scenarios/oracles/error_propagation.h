// The error_propagation oracle (Expectations::ERROR_PROPAGATION): whenever
// either side's TLS engine fails after the ClientHello left, or its stack
// closes the connection with an error it raised, the peer must end
// CLOSED_RECEIVED with exactly that code, within the scenario's
// max_handshake_time, and the failing side itself closes in the instant its
// engine failed (not a PTO later, when some other call surfaced it). A peer
// that timed out or never heard of it violates the oracle whatever
// allow_peer_timeout says: this is the property Go proposal #74922 is about
// (see tls/engine.h, API models).
#ifndef QUICSIM_SCENARIOS_ORACLES_ERROR_PROPAGATION_H_
#define QUICSIM_SCENARIOS_ORACLES_ERROR_PROPAGATION_H_

#include <optional>
#include <string>
#include <vector>

#include "endpoints/verdict.h"
#include "sim/time.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kErrorPropagation[] = "error_propagation";

// What went wrong, one entry per side whose failure did not reach its peer
// as required; empty when the oracle holds. `bound`: the scenario's
// max_handshake_time (nullopt: none).
std::vector<std::string> CheckErrorPropagation(
    const endpoints::Verdict& client, const endpoints::Verdict& server,
    std::optional<sim::Duration> bound);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_ERROR_PROPAGATION_H_
