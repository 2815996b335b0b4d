// `quicsim explore --mode=swarm`: VOPR-style swarm testing. Run i draws, from
// the master seed's stream "swarm/run/<i>", a random scenario around the
// given one: which impairments are on and how strong (loss with bursts
// capped at 3, reorder, duplication, corruption, jitter, a bandwidth
// bottleneck), the delay, Retry, Version Negotiation, resumption and 0-RTT,
// the certificate kind and chain length, an error row, the stack per side,
// the number of pairs. Every oracle is on (the time bound is dropped). A
// failure is shrunk over the scenario's knobs (each knob back to the base
// value while the failure persists) and then over its network decisions
// (ddmin, as `quicsim shrink`), and saved as a trace. Runs are independent
// of one another, so the sequence is deterministic from the seed whatever
// the budget, and run i belongs to shard i % shards.
#ifndef QUICSIM_TOOLS_QUICSIM_SWARM_H_
#define QUICSIM_TOOLS_QUICSIM_SWARM_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario.pb.h"

namespace quicsim::tools {

struct SwarmOptions {
  uint64_t seed = 1;
  // Stop after this many runs (0: no limit) or this much wall time
  // (<= 0: no limit), whichever comes first.
  uint64_t max_runs = 0;
  double budget_seconds = 60;
  uint64_t shard_index = 0;
  uint64_t shard_total = 1;
  std::string trace_dir;
  std::string scenario_path;
  // Seed runs spent shrinking one failure.
  int max_shrink_runs = 300;
  FILE* progress = nullptr;
};

// One failing swarm run.
struct SwarmFailure {
  uint64_t run = 0;
  std::string signature;
  // Knobs that remained after shrinking, e.g. "retry loss=0.21".
  std::string knobs;
  size_t decisions_before = 0;
  size_t decisions_after = 0;
  std::string trace_file;
};

struct SwarmReport {
  uint64_t runs = 0;
  // Draws the runner could not run (an unsupported combination).
  uint64_t skipped = 0;
  // Resumption runs whose priming handshake was lost as a whole to the
  // drawn impairments (nothing to resume; not judged further).
  uint64_t priming_lost = 0;
  // Runs where no side confirmed or closed and only the outcome was
  // wrong: every datagram of a side lost to the drawn impairments, or a
  // side that stopped trying; not judged (see swarm.cc).
  uint64_t contact_lost = 0;
  std::map<std::string, int64_t> outcomes;
  std::vector<SwarmFailure> failures;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  bool ok() const { return failures.empty(); }
  std::string Render() const;
};

// The scenario of run `run` (exposed for tests): deterministic in (base,
// seed, run). `knobs` receives a readable list of what was switched on.
scenarios::Scenario SwarmScenario(const scenarios::Scenario& base,
                                  uint64_t seed, uint64_t run,
                                  std::string* knobs);

absl::StatusOr<SwarmReport> ExploreSwarm(scenarios::SeedRunner& runner,
                                         const scenarios::Scenario& base,
                                         const SwarmOptions& options);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SWARM_H_
