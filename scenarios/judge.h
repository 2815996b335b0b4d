// Judges the pairs of a finished World: each side's verdict in the runner's
// terms, and the oracles that need the world rather than the two verdicts
// (the packet-level oracles that watched each pair and its priming
// handshake, error_propagation, the resumption part of expected_outcome,
// no_stall). The verdict-level oracles run later, on the SeedResult
// (scenarios/oracles/expectations.h), for every runner alike.
#ifndef QUICSIM_SCENARIOS_JUDGE_H_
#define QUICSIM_SCENARIOS_JUDGE_H_

#include <vector>

#include "endpoints/verdict.h"
#include "scenarios/pair_launcher.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/world_builder.h"

namespace quicsim::scenarios {

// An endpoint's verdict as the runner reports it.
Verdict RunnerVerdict(const endpoints::Verdict& verdict);

// One PairResult per slot, in pair order; see the file comment.
std::vector<PairResult> JudgeWorld(const World& world,
                                   const std::vector<PairSlot>& slots);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_JUDGE_H_
