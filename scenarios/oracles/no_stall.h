// The no_stall oracle (Expectations::NO_STALL): the run made progress until
// the pair reached its verdicts; a pair still unfinished when the scheduler
// went idle or hit its limits violates it.
#ifndef QUICSIM_SCENARIOS_ORACLES_NO_STALL_H_
#define QUICSIM_SCENARIOS_ORACLES_NO_STALL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sim/time.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kNoStall[] = "no_stall";

// nullopt when the pair `finished`; else why it did not: the run hit its
// limits (`stalled`, at `now` after `events` events) or went idle.
std::optional<std::string> CheckNoStall(bool finished, bool stalled,
                                        sim::Time now, uint64_t events);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_NO_STALL_H_
