// One seed run end to end: SeedRunner::RunSeed, then the runner's oracles
// (expectations.h), then the trace completed with everything a replay needs.
// Shared by `run`, `replay` and `shrink`.
#ifndef QUICSIM_TOOLS_QUICSIM_JUDGED_RUN_H_
#define QUICSIM_TOOLS_QUICSIM_JUDGED_RUN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::tools {

// Runs and judges `seed`. With options.record_trace the result's trace is
// complete: scenario, seed, build, determinism, verdicts (after judging),
// digests, pair_index (first failing pair or -1), and the script if any.
absl::StatusOr<scenarios::SeedResult> RunJudgedSeed(
    scenarios::SeedRunner& runner, const scenarios::Scenario& scenario,
    uint64_t seed, const scenarios::RunSeedOptions& options);

// Index into result.pairs of the first pair with a violation, or -1.
int FirstFailingPair(const scenarios::SeedResult& result);

// What "the same failure" means for shrinking: the sorted violated oracles
// and both sides' verdict codes of one pair, e.g.
// "verdicts_agree,expected_outcome client=CLOSED_SENT/0x1 server=TIMED_OUT".
std::string FailureSignature(const trace::PairVerdict& verdict);

// The signature of pair `pair_index` of `result`; empty if out of range or
// the pair passed.
std::string FailureSignatureOf(const scenarios::SeedResult& result,
                               int pair_index);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_JUDGED_RUN_H_
