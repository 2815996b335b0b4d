#include "tools/quicsim/variant_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/oracles/expectations.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::tools {

using scenarios::oracles::kExpectedViolation;
using scenarios::oracles::OracleEnabled;
using scenarios::oracles::OracleName;

namespace {

using scenarios::Expectations;
using scenarios::OracleViolation;
using scenarios::PairResult;
using scenarios::SeedResult;
using scenarios::Verdict;
using scenarios::VerdictKind;
using scenarios::VerdictKindName;

std::string Outcome(const Verdict& v) {
  if (v.closed()) {
    return absl::StrFormat("%s 0x%x", VerdictKindName(v.kind), v.error_code);
  }
  return VerdictKindName(v.kind);
}

// "CLOSED_RECEIVED 0x150" or "TIMED_OUT ×97, CLOSED_RECEIVED 0x150 ×3".
std::string Outcomes(const std::map<std::string, int64_t>& counts,
                     int64_t pairs) {
  if (counts.size() == 1) return counts.begin()->first;
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [outcome, n] : counts) sorted.push_back({-n, outcome});
  std::sort(sorted.begin(), sorted.end());
  return absl::StrJoin(sorted, ", ", [pairs](std::string* out, const auto& e) {
    absl::StrAppend(out, e.second, " (", -e.first, "/", pairs, ")");
  });
}

}  // namespace

VariantTable::VariantTable(const scenarios::Scenario& scenario)
    : scenario_(scenario) {
  const std::string error_propagation =
      OracleName(Expectations::ERROR_PROPAGATION);
  const std::vector<scenarios::Scenario> variants =
      scenarios::ExpandVariants(scenario);
  for (int k = 0; k < scenario.population().variants_size(); ++k) {
    Row row;
    row.name = scenario.population().variants(k).name();
    if (row.name.empty()) row.name = absl::StrCat("variant ", k);
    const Expectations& expect = variants[k].expect();
    row.checks_propagation = OracleEnabled(expect, error_propagation);
    for (int o : expect.expected_violations()) {
      row.expects_propagation_violation |= o == Expectations::ERROR_PROPAGATION;
    }
    rows_.push_back(std::move(row));
  }
}

void VariantTable::AddSeed(const SeedResult& result) {
  if (rows_.empty()) return;
  const std::string error_propagation =
      OracleName(Expectations::ERROR_PROPAGATION);
  for (const PairResult& pair : result.pairs) {
    const int k = scenarios::VariantOfPair(scenario_, pair.pair_index);
    if (k < 0 || k >= static_cast<int>(rows_.size())) continue;
    Row& row = rows_[k];
    ++row.pairs;
    if (!pair.violations.empty()) ++row.failing;
    ++row.client[Outcome(pair.client)];
    ++row.server[Outcome(pair.server)];
    for (const Verdict* v : {&pair.client, &pair.server}) {
      if (v->kind != VerdictKind::kNone) {
        row.max_time = std::max(row.max_time, v->handshake_time);
      }
    }
    bool missing_expected = false;
    for (const OracleViolation& v : pair.violations) {
      if (v.oracle == error_propagation) ++row.propagation_violated;
      missing_expected |= v.oracle == kExpectedViolation;
    }
    if (row.expects_propagation_violation && !missing_expected) {
      ++row.demonstrated;
    }
  }
}

std::string VariantTable::Render() const {
  std::string out =
      "| variant | client | server | both sides done (max) | "
      "error_propagation | failing pairs |\n"
      "|---|---|---|---|---|---|\n";
  for (const Row& row : rows_) {
    std::string oracle;
    if (!row.checks_propagation) {
      oracle = "not checked";
    } else if (row.expects_propagation_violation) {
      oracle = row.demonstrated == row.pairs
                   ? "violated, as expected"
                   : absl::StrFormat("held in %d/%d (expected violated)",
                                     row.pairs - row.demonstrated, row.pairs);
    } else {
      oracle = row.propagation_violated == 0
                   ? "holds"
                   : absl::StrFormat("VIOLATED %d/%d", row.propagation_violated,
                                     row.pairs);
    }
    absl::StrAppend(
        &out, "| ", row.name, " | ", Outcomes(row.client, row.pairs), " | ",
        Outcomes(row.server, row.pairs), " | ", row.max_time.ToString(), " | ",
        oracle, " | ", row.failing, "/", row.pairs, " |\n");
  }
  return out;
}

}  // namespace quicsim::tools
