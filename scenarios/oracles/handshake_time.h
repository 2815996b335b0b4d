// The handshake_time oracle (Expectations::HANDSHAKE_TIME): every verdict
// came within the scenario's max_handshake_time (a side with no verdict, or a
// timed-out peer the expectations allow, is not judged).
#ifndef QUICSIM_SCENARIOS_ORACLES_HANDSHAKE_TIME_H_
#define QUICSIM_SCENARIOS_ORACLES_HANDSHAKE_TIME_H_

#include <string>
#include <vector>

#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kHandshakeTime[] = "handshake_time";

// One detail per side over the bound; empty when it holds or no bound is set.
std::vector<std::string> CheckHandshakeTime(const Expectations& expect,
                                            const PairResult& pair);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_HANDSHAKE_TIME_H_
