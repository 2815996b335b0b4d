#include "tools/quicsim/shrink.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/trace_validate.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

// Splits `set` into `n` contiguous chunks of near-equal size.
std::vector<std::vector<size_t>> Split(const std::vector<size_t>& set,
                                       size_t n) {
  std::vector<std::vector<size_t>> chunks;
  size_t start = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t end = start + (set.size() - start) / (n - i);
    chunks.emplace_back(set.begin() + start, set.begin() + end);
    start = end;
  }
  return chunks;
}

std::vector<size_t> Without(const std::vector<size_t>& set,
                            const std::vector<size_t>& chunk) {
  std::vector<size_t> out;
  std::set_difference(set.begin(), set.end(), chunk.begin(), chunk.end(),
                      std::back_inserter(out));
  return out;
}

}  // namespace

std::vector<size_t> DeltaDebug(
    size_t n, const std::function<bool(const std::vector<size_t>&)>& fails,
    int max_tests, bool* exhausted) {
  std::map<std::vector<size_t>, bool> cache;
  int tests = 0;
  *exhausted = false;
  auto test = [&](const std::vector<size_t>& subset) {
    auto it = cache.find(subset);
    if (it != cache.end()) return it->second;
    if (tests >= max_tests) {
      *exhausted = true;
      return false;
    }
    ++tests;
    const bool result = fails(subset);
    cache.emplace(subset, result);
    return result;
  };
  std::vector<size_t> current(n);
  for (size_t i = 0; i < n; ++i) current[i] = i;
  if (test({})) return {};
  size_t granularity = 2;
  while (current.size() >= 2 && !*exhausted) {
    granularity = std::min(granularity, current.size());
    const std::vector<std::vector<size_t>> chunks = Split(current, granularity);
    bool reduced = false;
    for (const std::vector<size_t>& chunk : chunks) {
      if (test(chunk)) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && granularity > 2) {
      for (const std::vector<size_t>& chunk : chunks) {
        std::vector<size_t> complement = Without(current, chunk);
        if (test(complement)) {
          current = std::move(complement);
          granularity = std::max<size_t>(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (granularity >= current.size()) break;
      granularity = std::min(granularity * 2, current.size());
    }
  }
  return current;
}

absl::StatusOr<ShrinkReport> ShrinkTrace(SeedRunner& runner,
                                         const trace::Trace& failing,
                                         int max_runs) {
  if (absl::Status s = ValidateTrace(failing, "trace"); !s.ok()) return s;
  if (failing.pair_index() < 0 ||
      failing.pair_index() >= failing.verdicts_size()) {
    return absl::FailedPreconditionError(
        "the trace records no failing pair; nothing to shrink");
  }
  ShrinkReport report;
  report.signature = FailureSignature(failing.verdicts(failing.pair_index()));
  if (report.signature.empty()) {
    return absl::FailedPreconditionError(
        "the trace's pair has no violated oracle; nothing to shrink");
  }
  std::vector<trace::NetworkDecision> decisions;
  if (failing.scripted()) {
    decisions.assign(failing.script().begin(), failing.script().end());
  } else {
    for (const trace::Event& e : failing.events()) {
      if (e.has_decision()) decisions.push_back(e.decision());
    }
  }
  report.original_decisions = decisions.size();

  absl::Status run_error;
  auto script_of = [&](const std::vector<size_t>& subset) {
    std::vector<trace::NetworkDecision> script;
    script.reserve(subset.size());
    for (size_t i : subset) script.push_back(decisions[i]);
    return script;
  };
  auto fails = [&](const std::vector<size_t>& subset) {
    if (!run_error.ok()) return false;
    ++report.runs;
    RunSeedOptions options;
    options.scripted_decisions = script_of(subset);
    absl::StatusOr<SeedResult> result =
        RunJudgedSeed(runner, failing.scenario(), failing.seed(), options);
    if (!result.ok()) {
      run_error = result.status();
      return false;
    }
    return FailureSignatureOf(*result, failing.pair_index()) ==
           report.signature;
  };
  std::vector<size_t> all(decisions.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (!fails(all)) {
    if (!run_error.ok()) return run_error;
    return absl::FailedPreconditionError(absl::StrCat(
        "the failure (", report.signature,
        ") does not reproduce when the trace's ", decisions.size(),
        " network decisions are scripted; it depends on more than the "
        "network"));
  }
  const std::vector<size_t> minimal =
      DeltaDebug(decisions.size(), fails, std::max(1, max_runs - 1),
                 &report.budget_exhausted);
  if (!run_error.ok()) return run_error;
  report.minimal_decisions = minimal.size();

  RunSeedOptions final_options;
  final_options.record_trace = true;
  final_options.scripted_decisions = script_of(minimal);
  absl::StatusOr<SeedResult> final_run =
      RunJudgedSeed(runner, failing.scenario(), failing.seed(), final_options);
  if (!final_run.ok()) return final_run.status();
  ++report.runs;
  report.minimal = *final_run->trace;
  report.minimal.set_scenario_path(failing.scenario_path());
  report.minimal.set_pair_index(failing.pair_index());
  return report;
}

}  // namespace quicsim::tools
