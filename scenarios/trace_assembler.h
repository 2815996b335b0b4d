// Assembles the trace of one run (scenarios/runner/trace.proto): every
// recorded event with the pair it belongs to and its typed record (a link's
// non-physical decision with the link's id, a connection event's fields),
// and the script of a replayed run.
#ifndef QUICSIM_SCENARIOS_TRACE_ASSEMBLER_H_
#define QUICSIM_SCENARIOS_TRACE_ASSEMBLER_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "scenarios/runner/trace.pb.h"
#include "sim/trace.h"

namespace quicsim::scenarios {

// The pair an actor belongs to: "pair/3/..." or "link/pair/3/..." -> 3; -1
// for anything else (shared links, the network).
int PairOfActor(absl::string_view actor);

// The trace of a run whose events are `events` (kept with their typed
// records); `script`: the scripted decisions the run replayed, if any.
trace::Trace AssembleTrace(
    const std::vector<sim::TraceEvent>& events,
    const std::optional<std::vector<trace::NetworkDecision>>& script);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_TRACE_ASSEMBLER_H_
