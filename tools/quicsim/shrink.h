// `quicsim shrink TRACE`: delta debugging (ddmin) over a failing trace's
// network decisions. The decisions become a script the SeedRunner applies
// instead of random impairments; subsets that still produce the same failure
// signature (judged_run.h) are kept until the set is 1-minimal.
#ifndef QUICSIM_TOOLS_QUICSIM_SHRINK_H_
#define QUICSIM_TOOLS_QUICSIM_SHRINK_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"

namespace quicsim::tools {

// The outcome of shrinking.
struct ShrinkReport {
  // The trace of the run with the minimal script (scripted = true).
  trace::Trace minimal;
  size_t original_decisions = 0;
  size_t minimal_decisions = 0;
  // Seed runs spent.
  int runs = 0;
  // True when max_runs stopped the search before 1-minimality.
  bool budget_exhausted = false;
  std::string signature;
};

// Generic ddmin: returns a 1-minimal subset (as sorted indices into
// 0..n-1) for which `fails` holds, given that it holds for all n. Stops
// after `max_tests` calls of `fails` (then returns the smallest found).
std::vector<size_t> DeltaDebug(
    size_t n, const std::function<bool(const std::vector<size_t>&)>& fails,
    int max_tests, bool* exhausted);

// Shrinks `failing` (which must record a failure: pair_index >= 0).
absl::StatusOr<ShrinkReport> ShrinkTrace(scenarios::SeedRunner& runner,
                                         const trace::Trace& failing,
                                         int max_runs);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SHRINK_H_
