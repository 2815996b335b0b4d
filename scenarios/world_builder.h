// Builds the simulated world of one (scenario, seed): each population
// variant's plan (endpoint configurations, TLS contexts, stacks, faults),
// the scheduler with the scenario's limits, the trace recorder, the network
// with its links, impairments and phases (scenarios/link_builder.h) or the
// scripted decisions of a replay, and the pairs' addresses.
#ifndef QUICSIM_SCENARIOS_WORLD_BUILDER_H_
#define QUICSIM_SCENARIOS_WORLD_BUILDER_H_

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/faults.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/tls_contexts.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "sim/wire_digest.h"

namespace quicsim::scenarios {

// One variant of a (possibly mixed) population: its own endpoint
// configurations, TLS contexts, stacks, faults and expectations.
struct VariantPlan {
  Scenario scenario;
  const TlsContexts* contexts = nullptr;  // owned by the WorldBuilder
  bool ng_client = false;
  bool ng_server = false;
  PairFaults faults;
};

// Everything one seed runs in. Members are destroyed in reverse order: the
// network before the recorder and the scheduler. Whatever uses the network
// (the pairs) must be destroyed before the World.
struct World {
  World(const Scenario& scenario, uint64_t seed, bool keep_events);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // The plan of pair `pair`'s variant.
  const VariantPlan& plan_of(int pair) const;

  const Scenario& scenario;  // the whole scenario (outlives the World)
  const uint64_t seed;
  const int pairs;
  std::vector<VariantPlan> plans;  // ExpandVariants(scenario) order
  sim::Scheduler scheduler;
  sim::TraceRecorder recorder;
  sim::Network network;
  sim::WireDigest wire;
  // Each pair's client-to-server and server-to-client links (the same two
  // for every pair on a shared bottleneck).
  std::vector<std::pair<sim::Link*, sim::Link*>> links;
};

// Pair `pair`'s addresses; `prime`: its priming handshake's (resumption).
// Unique for every pair index up to the 1,000,000-pair cap.
sim::Address ClientAddress(int pair, bool prime);
sim::Address ServerAddress(int pair, bool prime);

// Builds Worlds; caches TLS contexts across seeds (see TlsContextCache).
class WorldBuilder {
 public:
  // The world of `seed` of `scenario` (already validated by the loader),
  // ready for the pairs; errors for what cannot run (both sides NGTCP2, a
  // fault an NGTCP2 side does not support, TLS settings the tls layer cannot
  // honour).
  absl::StatusOr<std::unique_ptr<World>> Build(const Scenario& scenario,
                                               uint64_t seed,
                                               const RunSeedOptions& options);

 private:
  absl::StatusOr<VariantPlan> Plan(Scenario variant);
  absl::Status AddLinks(World* world);

  TlsContextCache contexts_;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_WORLD_BUILDER_H_
