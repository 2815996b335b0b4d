// The oracles the runner itself checks on every pair, from the two verdicts
// and the scenario's expectations: verdicts_agree, expected_outcome and
// handshake_time. (The endpoint layer reports the packet-level oracles.)
#ifndef QUICSIM_TOOLS_QUICSIM_EXPECTATIONS_H_
#define QUICSIM_TOOLS_QUICSIM_EXPECTATIONS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::tools {

// Name of an oracle as it appears in violations: "verdicts_agree", ...
std::string OracleName(scenarios::Expectations::Oracle oracle);

// Name of the oracle that --check_determinism adds; always enabled.
inline constexpr absl::string_view kDeterminismOracle = "determinism";

// The violation a pair gets when it does not violate an oracle its
// expectations list in expected_violations (an unexpected pass).
inline constexpr absl::string_view kExpectedViolation = "expected_violation";

// Whether `expect` asks for oracle `name` (an empty list enables all).
bool OracleEnabled(const scenarios::Expectations& expect,
                   absl::string_view name);

// Appends the runner's oracle violations for `pair`, drops every violation
// whose oracle `expect` does not enable, and then settles
// expect.expected_violations: an expected oracle's violations are removed,
// and a pair that lacks one gets a kExpectedViolation violation instead.
void JudgePair(const scenarios::Expectations& expect,
               scenarios::PairResult* pair);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_EXPECTATIONS_H_
