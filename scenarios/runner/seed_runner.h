// The interface between the runner library (tools/quicsim: run, replay,
// shrink, explore) and whatever simulates the pairs. The real implementation
// is scenarios::QuicsimSeedRunner (scenarios/world.h); the quicsim binary
// constructs it in its main().
#ifndef QUICSIM_SCENARIOS_RUNNER_SEED_RUNNER_H_
#define QUICSIM_SCENARIOS_RUNNER_SEED_RUNNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/runner/trace.pb.h"
#include "scenarios/scenario.pb.h"
#include "sim/capture.h"
#include "sim/decision_hook.h"
#include "sim/trace.h"

namespace quicsim::scenarios {

// Per-call options of SeedRunner::RunSeed.
struct RunSeedOptions {
  // Fill SeedResult::trace with every event.
  bool record_trace = false;
  // When set: apply exactly these network decisions (matched by link name
  // and datagram index) instead of drawing loss, Gilbert-Elliott,
  // blackholes, reorder, duplication and corruption from the seed.
  // Delay and jitter still come from the seed. An empty vector means "a
  // clean network".
  std::optional<std::vector<trace::NetworkDecision>> scripted_decisions;
  // Export hooks (quicsim export): when set, every datagram is captured
  // here, TLS secrets are appended as SSLKEYLOGFILE lines, and the run's
  // events are copied out. None of them changes the run.
  sim::Capture* capture = nullptr;
  std::vector<std::string>* keylog = nullptr;
  std::vector<sim::TraceEvent>* events = nullptr;
  // Search hook (quicsim explore): offered every datagram on every link;
  // it may add decisions (and fork). Not owned.
  sim::DecisionHook* decision_hook = nullptr;
};

// Runs every pair of one seed of a scenario, on one thread, deterministically:
// the same (scenario, seed, options) must give the same events_digest.
class SeedRunner {
 public:
  virtual ~SeedRunner() = default;

  // Runs `seed` of `scenario` (already validated by the loader). An error
  // means the scenario cannot run at all (e.g. an unavailable stack), not
  // that a pair failed: failures are verdicts and violations.
  virtual absl::StatusOr<SeedResult> RunSeed(
      const scenarios::Scenario& scenario, uint64_t seed,
      const RunSeedOptions& options) = 0;

  // Identifies the build for traces (version, BoringSSL API, runner name).
  virtual trace::BuildIdentity Identity() const = 0;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_RUNNER_SEED_RUNNER_H_
