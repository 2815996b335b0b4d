// The verdicts_agree oracle (Expectations::VERDICTS_AGREE): both sides
// confirmed, or one side closed and its peer ended with the same code (the
// expectations may tolerate a peer that timed out or heard nothing of a
// close that was sent).
#ifndef QUICSIM_SCENARIOS_ORACLES_VERDICTS_AGREE_H_
#define QUICSIM_SCENARIOS_ORACLES_VERDICTS_AGREE_H_

#include <optional>
#include <string>

#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kVerdictsAgree[] = "verdicts_agree";

// "client CONFIRMED, server CLOSED_SENT 0x178": both verdicts, for details.
std::string DescribePair(const PairResult& pair);

// nullopt when `pair`'s verdicts agree; else the violation's detail.
std::optional<std::string> CheckVerdictsAgree(const Expectations& expect,
                                              const PairResult& pair);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_VERDICTS_AGREE_H_
