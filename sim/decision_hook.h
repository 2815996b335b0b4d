// A seam for search tools (`quicsim explore`): every datagram that enters a
// link is a decision point. After the link's own decisions (impairments or
// script) are taken, the hook may append more; they are applied and recorded
// exactly like scripted decisions. The hook may also fork the process there:
// the simulator is single-threaded, so the child continues the same run.
#ifndef QUICSIM_SIM_DECISION_HOOK_H_
#define QUICSIM_SIM_DECISION_HOOK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/datagram.h"
#include "sim/impairment.h"

namespace quicsim::sim {

// Called by Link::Send for every datagram that passed the MTU check.
class DecisionHook {
 public:
  virtual ~DecisionHook() = default;
  // `index` is the datagram's 0-based per-link index. Appended decisions
  // need only action and parameters (the link fills link and index).
  virtual void OnDatagram(const std::string& link, uint64_t index,
                          const Datagram& d, std::vector<Decision>* out) = 0;
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_DECISION_HOOK_H_
