// The real SeedRunner: builds one simulated world per (scenario, seed) from
// the scenario file (links and impairments from sim/, TLS contexts and QUIC
// endpoints from tls/ and endpoints/), runs every pair on one scheduler, and
// reports verdicts, oracle violations, digests and (on request) the trace.
#ifndef QUICSIM_SCENARIOS_WORLD_H_
#define QUICSIM_SCENARIOS_WORLD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "scenarios/scenario.pb.h"
#include "sim/impairment.h"
#include "tls/context.h"
#include "tls/test_pki.h"
#include "tools/quicsim/seed_runner.h"
#include "tools/quicsim/trace.pb.h"

namespace quicsim::scenarios {

// Which packet types a datagram carries, from its cleartext headers (long
// headers are walked through coalesced packets; a short header ends the
// walk). Used by DatagramPredicate drops.
struct DatagramKinds {
  bool initial = false;
  bool zero_rtt = false;
  bool handshake = false;
  bool retry = false;
  bool version_negotiation = false;
  bool one_rtt = false;
};
DatagramKinds ClassifyDatagram(absl::Span<const uint8_t> payload);

// trace::NetworkDecision (1-based index) <-> sim::Decision (0-based index).
// Returns nullopt for decisions the other side cannot express (kDelay,
// ACTION_UNSPECIFIED).
std::optional<sim::Decision> DecisionFromProto(
    const trace::NetworkDecision& decision);
std::optional<trace::NetworkDecision> DecisionToProto(
    const sim::Decision& decision);

// Runs scenarios with quicsim's own QUIC endpoints; see the file comment.
// TLS contexts are built once per distinct endpoint configuration and
// reused across seeds.
class QuicsimSeedRunner : public tools::SeedRunner {
 public:
  QuicsimSeedRunner();
  ~QuicsimSeedRunner() override;

  absl::StatusOr<tools::SeedResult> RunSeed(
      const Scenario& scenario, uint64_t seed,
      const tools::RunSeedOptions& options) override;
  trace::BuildIdentity Identity() const override;

 private:
  struct Contexts {
    std::unique_ptr<tls::Context> client;
    std::unique_ptr<tls::Context> server;
    // The PKI, for a side run by another stack (ngtcp2).
    tls::TestChain chain;
    std::vector<uint8_t> trust_anchor;
  };
  absl::StatusOr<const Contexts*> ContextsFor(const Scenario& scenario);

  // Keyed by the serialized client and server EndpointConfig.
  std::map<std::string, Contexts> contexts_;
};

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_WORLD_H_
