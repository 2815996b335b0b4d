// A link's decision about one datagram, as the simulator takes it
// (sim::Decision, 0-based datagram index) and as a trace records and scripts
// it (trace::NetworkDecision, 1-based index).
#ifndef QUICSIM_SCENARIOS_RUNNER_DECISION_PROTO_H_
#define QUICSIM_SCENARIOS_RUNNER_DECISION_PROTO_H_

#include <optional>

#include "scenarios/runner/trace.pb.h"
#include "sim/impairment.h"

namespace quicsim::scenarios {

// trace::NetworkDecision (1-based index) <-> sim::Decision (0-based index).
// Returns nullopt for decisions the other side cannot express (kDelay,
// ACTION_UNSPECIFIED).
std::optional<sim::Decision> DecisionFromProto(
    const trace::NetworkDecision& decision);
std::optional<trace::NetworkDecision> DecisionToProto(
    const sim::Decision& decision);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_RUNNER_DECISION_PROTO_H_
