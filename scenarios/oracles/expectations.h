// Judges one pair's verdicts against the scenario's expectations, for every
// runner (the real one and test doubles): runs the verdict-level oracles
// (verdicts_agree, expected_outcome, handshake_time), keeps only the
// violations of the oracles `expect` enables, and settles
// expected_violations. Oracle names are Expectations::Oracle's, lower case.
#ifndef QUICSIM_SCENARIOS_ORACLES_EXPECTATIONS_H_
#define QUICSIM_SCENARIOS_ORACLES_EXPECTATIONS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::scenarios::oracles {

// Name of an oracle as it appears in violations: "verdicts_agree", ...
std::string OracleName(Expectations::Oracle oracle);

// Name of the oracle that --check_determinism adds; always enabled.
inline constexpr absl::string_view kDeterminismOracle = "determinism";

// The violation a pair gets when it does not violate an oracle its
// expectations list in expected_violations (an unexpected pass).
inline constexpr absl::string_view kExpectedViolation = "expected_violation";

// Whether `expect` asks for oracle `name` (an empty list enables all).
bool OracleEnabled(const Expectations& expect, absl::string_view name);

// Appends the verdict-level oracles' violations for `pair`, drops every
// violation whose oracle `expect` does not enable, and then settles
// expect.expected_violations: an expected oracle's violations are removed,
// and a pair that lacks one gets a kExpectedViolation violation instead.
void JudgePair(const Expectations& expect, PairResult* pair);

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_EXPECTATIONS_H_
