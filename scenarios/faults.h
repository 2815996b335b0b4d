// The one mapping from a scenario's error-injection rows (EndpointConfig
// .fault and .fault_alert, design brief's error-injection table) to the
// injection points that implement them: the TLS engine (tls::FaultInjection,
// in that side's tls::Config), our QUIC endpoint (endpoints::EndpointFaults)
// and the ngtcp2 adapter (endpoints::Ngtcp2Faults).
#ifndef QUICSIM_SCENARIOS_FAULTS_H_
#define QUICSIM_SCENARIOS_FAULTS_H_

#include <string>

#include "absl/status/status.h"
#include "endpoints/connection.h"
#include "endpoints/ngtcp2_endpoint.h"
#include "scenarios/scenario.pb.h"
#include "tls/config.h"

namespace quicsim::scenarios {

// What one side's injection points get.
struct SideFaults {
  // Into that side's tls::Config (every stack's TLS context is built).
  tls::FaultInjection tls;
  // Into that side's ConnectionOptions when it is our endpoint.
  endpoints::EndpointFaults quic;
  // Into that side's Ngtcp2EndpointOptions when it is an ngtcp2 endpoint.
  endpoints::Ngtcp2Faults ngtcp2;
};

// Both sides' faults. A fault on one side may act on the other (the peer of
// a DROP_CONNECTION_CLOSE side loses its CONNECTION_CLOSE).
struct PairFaults {
  SideFaults client;
  SideFaults server;
};

// Maps the client's and the server's configured faults.
PairFaults MapFaults(const EndpointConfig& client,
                     const EndpointConfig& server);

// OK when `side`'s fault can be injected into its stack (an NGTCP2 side
// supports ALPN_MISMATCH, REFUSE_TRANSPORT_PARAMETERS and
// INVALID_SERVER_TRANSPORT_PARAMETERS only); Unimplemented otherwise.
absl::Status CheckInjectable(const EndpointConfig& side);

// The injection points `faults` sets, one "point.field" per line (for tests
// and error messages); empty when nothing is injected.
std::string DescribeFaults(const SideFaults& faults);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_FAULTS_H_
