// The expected_outcome oracle (Expectations::EXPECTED_OUTCOME), in two parts:
//  - from the two verdicts (every runner): the outcome and error code match
//    `outcome` / `error_codes`, within what allow_peer_timeout and
//    allow_peer_silent tolerate;
//  - from the world (the real runner's Judge): a client configured to resume
//    resumes the session its priming handshake fetched, gets 0-RTT accepted
//    when both sides enable it, and never gets 0-RTT accepted by a server
//    that refuses it.
#ifndef QUICSIM_SCENARIOS_ORACLES_EXPECTED_OUTCOME_H_
#define QUICSIM_SCENARIOS_ORACLES_EXPECTED_OUTCOME_H_

#include <optional>
#include <string>
#include <vector>

#include "endpoints/verdict.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kExpectedOutcome[] = "expected_outcome";

// nullopt when `pair`'s outcome matches `expect`; else the detail.
std::optional<std::string> CheckExpectedOutcome(const Expectations& expect,
                                                const PairResult& pair);

// What went wrong with the measured handshake of a resuming pair (empty when
// it holds, or when the client does not resume or did not confirm).
// `prime_ticket`: the priming handshake received a session ticket.
std::vector<std::string> CheckResumption(const EndpointConfig& client,
                                         const EndpointConfig& server,
                                         bool prime_ticket,
                                         const endpoints::Verdict& verdict);

// nullopt when the priming handshake got its ticket; else the detail.
std::optional<std::string> CheckPrimingTicket(bool prime_ticket);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_EXPECTED_OUTCOME_H_
