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
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"
#include "scenarios/scenario.pb.h"
#include "sim/impairment.h"
#include "tls/context.h"
#include "tls/test_pki.h"

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
