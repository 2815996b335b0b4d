#include "scenarios/trace_assembler.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "scenarios/runner/event_record_proto.h"

namespace quicsim::scenarios {

int PairOfActor(absl::string_view actor) {
  if (absl::StartsWith(actor, "link/")) actor.remove_prefix(5);
  if (!absl::StartsWith(actor, "pair/")) return -1;
  actor.remove_prefix(5);
  const size_t slash = actor.find('/');
  int pair = -1;
  if (!absl::SimpleAtoi(actor.substr(0, slash), &pair)) return -1;
  return pair;
}

trace::Trace AssembleTrace(
    const std::vector<sim::TraceEvent>& events,
    const std::optional<std::vector<trace::NetworkDecision>>& script) {
  trace::Trace t;
  // A link event carries its decision, link and pair in its typed record; a
  // connection event its typed record.
  for (const sim::TraceEvent& e : events) {
    TraceEventToProto(e, PairOfActor(e.actor), t.add_events());
  }
  if (script.has_value()) {
    t.set_scripted(true);
    for (const trace::NetworkDecision& d : *script) *t.add_script() = d;
  }
  return t;
}

}  // namespace quicsim::scenarios
