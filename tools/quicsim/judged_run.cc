#include "tools/quicsim/judged_run.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/oracles/expectations.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::tools {

using scenarios::oracles::JudgePair;

using scenarios::PairResult;
using scenarios::PairResultToProto;
using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;

absl::StatusOr<SeedResult> RunJudgedSeed(SeedRunner& runner,
                                         const scenarios::Scenario& scenario,
                                         uint64_t seed,
                                         const RunSeedOptions& options) {
  absl::StatusOr<SeedResult> result = runner.RunSeed(scenario, seed, options);
  if (!result.ok()) return result.status();
  result->seed = seed;
  const std::vector<scenarios::Scenario> variants =
      scenarios::ExpandVariants(scenario);
  for (PairResult& pair : result->pairs) {
    const int v = scenarios::VariantOfPair(scenario, pair.pair_index);
    JudgePair(variants[v].expect(), &pair);
  }
  if (options.record_trace) {
    trace::Trace& t =
        result->trace.has_value() ? *result->trace : result->trace.emplace();
    *t.mutable_scenario() = scenario;
    t.set_seed(seed);
    t.set_pair_index(FirstFailingPair(*result));
    *t.mutable_build() = runner.Identity();
    t.set_determinism(result->determinism);
    t.clear_verdicts();
    for (const PairResult& pair : result->pairs) {
      *t.add_verdicts() = PairResultToProto(pair);
    }
    t.mutable_digests()->set_events(result->events_digest);
    t.mutable_digests()->set_wire(result->wire_digest);
    t.set_scripted(options.scripted_decisions.has_value());
    t.clear_script();
    if (options.scripted_decisions.has_value()) {
      for (const trace::NetworkDecision& d : *options.scripted_decisions) {
        *t.add_script() = d;
      }
    }
  }
  return result;
}

int FirstFailingPair(const SeedResult& result) {
  for (size_t i = 0; i < result.pairs.size(); ++i) {
    if (!result.pairs[i].violations.empty()) return static_cast<int>(i);
  }
  return -1;
}

std::string FailureSignature(const trace::PairVerdict& verdict) {
  if (verdict.violations().empty()) return "";
  std::set<std::string> oracles;
  for (const trace::OracleViolation& v : verdict.violations()) {
    oracles.insert(v.oracle());
  }
  auto side = [](const trace::SideVerdict& v) {
    return absl::StrFormat("%s/0x%x", trace::SideVerdict::Kind_Name(v.kind()),
                           v.error_code());
  };
  return absl::StrCat(absl::StrJoin(oracles, ","),
                      " client=", side(verdict.client()),
                      " server=", side(verdict.server()));
}

std::string FailureSignatureOf(const SeedResult& result, int pair_index) {
  if (pair_index < 0 || pair_index >= static_cast<int>(result.pairs.size())) {
    return "";
  }
  return FailureSignature(PairResultToProto(result.pairs[pair_index]));
}

}  // namespace quicsim::tools
