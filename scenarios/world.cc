#include "scenarios/world.h"

#include <openssl/base.h>

#include <memory>
#include <utility>

#include "endpoints/ngtcp2_endpoint.h"
#include "scenarios/judge.h"
#include "scenarios/pair_launcher.h"
#include "scenarios/trace_assembler.h"
#include "sim/instr_window.h"
#include "tls/context.h"

namespace quicsim::scenarios {
namespace {

// Byte-level when every TLS context is, and an ngtcp2 side only when
// gnutls_rnd is interposed.
trace::DeterminismLevel DeterminismOf(const World& world) {
  for (const VariantPlan& plan : world.plans) {
    if (plan.contexts->client->determinism() != tls::Determinism::kByteLevel ||
        plan.contexts->server->determinism() != tls::Determinism::kByteLevel ||
        ((plan.ng_client || plan.ng_server) && !endpoints::Ngtcp2ByteLevel())) {
      return trace::EVENT_LEVEL;
    }
  }
  return trace::BYTE_LEVEL;
}

}  // namespace

QuicsimSeedRunner::QuicsimSeedRunner() = default;
QuicsimSeedRunner::~QuicsimSeedRunner() = default;

trace::BuildIdentity QuicsimSeedRunner::Identity() const {
  trace::BuildIdentity id;
  id.set_version("quicsim-dev");
  id.set_boringssl_api_version(BORINGSSL_API_VERSION);
  id.set_runner("quicsim");
  return id;
}

absl::StatusOr<SeedResult> QuicsimSeedRunner::RunSeed(
    const Scenario& scenario, uint64_t seed, const RunSeedOptions& options) {
  absl::StatusOr<std::unique_ptr<World>> built =
      builder_.Build(scenario, seed, options);
  if (!built.ok()) return built.status();
  const std::unique_ptr<World>& world = *built;
  // Destroyed before the world: the pairs use its network.
  PairLauncher launcher(world.get(), options);
  launcher.ScheduleAll();
  sim::RunUntilIdleWithWindow(world->scheduler);
  if (!launcher.start_status().ok()) return launcher.start_status();

  SeedResult result;
  result.seed = seed;
  result.events_processed = world->scheduler.events_run();
  result.end_time = world->scheduler.Now();
  result.events_digest = world->recorder.DigestHex();
  result.wire_digest = world->wire.DigestHex();
  result.determinism = DeterminismOf(*world);
  result.pairs = JudgeWorld(*world, launcher.slots());
  if (options.events != nullptr) *options.events = world->recorder.events();
  if (options.record_trace) {
    result.trace =
        AssembleTrace(world->recorder.events(), options.scripted_decisions);
  }
  return result;
}

}  // namespace quicsim::scenarios
