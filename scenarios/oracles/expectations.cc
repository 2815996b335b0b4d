#include "scenarios/oracles/expectations.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scenarios/oracles/expected_outcome.h"
#include "scenarios/oracles/handshake_time.h"
#include "scenarios/oracles/verdicts_agree.h"

namespace quicsim::scenarios::oracles {

std::string OracleName(Expectations::Oracle oracle) {
  return absl::AsciiStrToLower(Expectations::Oracle_Name(oracle));
}

bool OracleEnabled(const Expectations& expect, absl::string_view name) {
  if (name == kDeterminismOracle || expect.oracles().empty()) return true;
  for (int o : expect.oracles()) {
    if (OracleName(static_cast<Expectations::Oracle>(o)) == name) return true;
  }
  return false;
}

void JudgePair(const Expectations& expect, PairResult* pair) {
  std::vector<OracleViolation>& violations = pair->violations;
  if (std::optional<std::string> d = CheckVerdictsAgree(expect, *pair)) {
    violations.push_back({kVerdictsAgree, std::move(*d)});
  }
  if (std::optional<std::string> d = CheckExpectedOutcome(expect, *pair)) {
    violations.push_back({kExpectedOutcome, std::move(*d)});
  }
  for (std::string& d : CheckHandshakeTime(expect, *pair)) {
    violations.push_back({kHandshakeTime, std::move(d)});
  }
  violations.erase(std::remove_if(violations.begin(), violations.end(),
                                  [&](const OracleViolation& v) {
                                    return !OracleEnabled(expect, v.oracle);
                                  }),
                   violations.end());
  for (int o : expect.expected_violations()) {
    const std::string name = OracleName(static_cast<Expectations::Oracle>(o));
    const auto kept = std::remove_if(
        violations.begin(), violations.end(),
        [&](const OracleViolation& v) { return v.oracle == name; });
    if (kept == violations.end()) {
      violations.push_back(
          {std::string(kExpectedViolation),
           absl::StrCat("expected ", name,
                        " to be violated (a known flaw), but it held")});
    } else {
      violations.erase(kept, violations.end());
    }
  }
}

}  // namespace quicsim::scenarios::oracles
