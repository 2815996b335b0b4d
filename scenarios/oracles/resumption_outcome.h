// The part of the expected_outcome oracle (Expectations::EXPECTED_OUTCOME)
// that only the world can judge: a client configured to resume must resume
// the session its priming handshake fetched, get 0-RTT accepted when both
// sides enable it, and never get 0-RTT accepted by a server that refuses it.
// (The verdict-level part is scenarios/oracles/expectations.h.)
#ifndef QUICSIM_SCENARIOS_ORACLES_RESUMPTION_OUTCOME_H_
#define QUICSIM_SCENARIOS_ORACLES_RESUMPTION_OUTCOME_H_

#include <string>
#include <vector>

#include "endpoints/verdict.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kExpectedOutcome[] = "expected_outcome";

// What went wrong with the measured handshake of a resuming pair (empty when
// the oracle holds, or when the client does not resume or did not confirm).
// `prime_ticket`: the priming handshake received a session ticket.
std::vector<std::string> CheckResumption(const EndpointConfig& client,
                                         const EndpointConfig& server,
                                         bool prime_ticket,
                                         const endpoints::Verdict& verdict);

// The violation of a priming handshake that got no ticket (nullopt-like:
// empty string when it got one).
std::string CheckPrimingTicket(bool prime_ticket);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_RESUMPTION_OUTCOME_H_
