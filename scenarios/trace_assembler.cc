#include "scenarios/trace_assembler.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "scenarios/runner/decision_proto.h"
#include "sim/link.h"

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
    const std::vector<sim::TraceEvent>& events, const sim::Network& network,
    const std::optional<std::vector<trace::NetworkDecision>>& script) {
  trace::Trace t;
  // Each link traces its decisions in the order it records them.
  std::map<std::string, size_t> cursor;
  for (const sim::TraceEvent& e : events) {
    trace::Event* out = t.add_events();
    out->set_time_ns(e.time.nanos());
    out->set_actor(e.actor);
    out->set_kind(e.kind);
    out->set_details(e.details);
    out->set_pair(PairOfActor(e.actor));
    const sim::Link* link = network.FindLink(e.actor);
    if (link == nullptr || e.kind == "send" || e.kind == "deliver") continue;
    size_t& c = cursor[e.actor];
    if (c >= link->decisions().size()) continue;
    const sim::Decision& d = link->decisions()[c++];
    if (d.physical) continue;
    std::optional<trace::NetworkDecision> proto = DecisionToProto(d);
    if (proto.has_value()) *out->mutable_decision() = std::move(*proto);
  }
  if (script.has_value()) {
    t.set_scripted(true);
    for (const trace::NetworkDecision& d : *script) *t.add_script() = d;
  }
  return t;
}

}  // namespace quicsim::scenarios
