// The links of a simulated world, from the scenario's Network: each
// direction's physical properties (LinkConfig), its impairments (loss,
// Gilbert-Elliott, scripted and predicate drops, blackholes, reorder,
// duplication, corruption, each drawing from the named stream
// "<link name>/<model>") and its phases (time-varying properties and
// impairments).
#ifndef QUICSIM_SCENARIOS_LINK_BUILDER_H_
#define QUICSIM_SCENARIOS_LINK_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "scenarios/scenario.pb.h"
#include "sim/link.h"
#include "sim/network.h"

namespace quicsim::scenarios {

// Which direction of `Network` a link carries.
enum class LinkDirection { kClientToServer = 1, kServerToClient = 2 };

// Adds link `name` for `direction` to `network`, with its impairments and
// phases (a phase's physical properties are applied by an event at the
// phase's time on `network`'s scheduler, when within its time limit).
absl::StatusOr<sim::Link*> MakeLink(const Network& net, LinkDirection direction,
                                    const std::string& name,
                                    sim::Network* network);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_LINK_BUILDER_H_
