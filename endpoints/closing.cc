#include "endpoints/closing.h"

#include <algorithm>

namespace quicsim::endpoints {

sim::Duration CloseState::ClosingPeriod(sim::Duration pto,
                                        sim::Duration idle_timeout) {
  return std::max(pto * 3, idle_timeout);
}

}  // namespace quicsim::endpoints
