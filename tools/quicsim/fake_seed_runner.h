// A SeedRunner without QUIC, for testing the runner library and the CLI:
// each pair exchanges a fixed number of datagrams per direction; the link
// decisions come from the seed (or a script); the verdicts follow the
// scenario's faults, and a pair "breaks" (client closes with 0x1, server
// times out) exactly when every decision in `trigger` was applied.
#ifndef QUICSIM_TOOLS_QUICSIM_FAKE_SEED_RUNNER_H_
#define QUICSIM_TOOLS_QUICSIM_FAKE_SEED_RUNNER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/runner/seed_runner.h"

namespace quicsim::tools {

class FakeSeedRunner : public scenarios::SeedRunner {
 public:
  struct Options {
    // Datagrams each pair sends per direction.
    int datagrams_per_link = 10;
    // A pair breaks when a decision was applied to each of these datagrams
    // of its own links: {"c2s" or "s2c", 1-based index}.
    std::vector<std::pair<std::string, uint64_t>> trigger = {{"c2s", 1},
                                                             {"c2s", 2}};
    // Make every call's digest differ (to test --check_determinism).
    bool nondeterministic = false;
    // Report byte-level determinism with a wire digest of the events (the
    // real runner's class for every scenario configuration).
    bool byte_level = false;
    // Make every call's wire digest differ, events unchanged.
    bool nondeterministic_wire = false;
  };

  FakeSeedRunner() = default;
  explicit FakeSeedRunner(Options options) : options_(std::move(options)) {}

  absl::StatusOr<scenarios::SeedResult> RunSeed(
      const scenarios::Scenario& scenario, uint64_t seed,
      const scenarios::RunSeedOptions& options) override;
  trace::BuildIdentity Identity() const override;

  // Seeds run so far (for tests).
  int calls() const { return calls_; }

 private:
  Options options_;
  int calls_ = 0;
};

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_FAKE_SEED_RUNNER_H_
