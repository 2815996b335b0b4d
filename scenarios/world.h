// The real SeedRunner: runs one (scenario, seed) in a simulated world of
// quicsim's own QUIC endpoints (and, per side, ngtcp2). The steps each have
// their own file: WorldBuilder (world_builder.h: links, phases, addresses,
// TLS contexts, faults), PairLauncher (pair_launcher.h), the scheduler run,
// the Judge (judge.h: verdicts and the world-level oracles) and the
// TraceAssembler (trace_assembler.h).
#ifndef QUICSIM_SCENARIOS_WORLD_H_
#define QUICSIM_SCENARIOS_WORLD_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world_builder.h"

namespace quicsim::scenarios {

// Runs scenarios with quicsim's own QUIC endpoints; see the file comment.
// TLS contexts are built once per distinct endpoint configuration and
// reused across seeds.
class QuicsimSeedRunner : public SeedRunner {
 public:
  QuicsimSeedRunner();
  ~QuicsimSeedRunner() override;

  absl::StatusOr<SeedResult> RunSeed(const Scenario& scenario, uint64_t seed,
                                     const RunSeedOptions& options) override;
  trace::BuildIdentity Identity() const override;

 private:
  WorldBuilder builder_;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_WORLD_H_
