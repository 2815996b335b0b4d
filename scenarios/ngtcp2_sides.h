// The ngtcp2 side of a pair in the world: builds the ForeignEndpointFactory
// that runs Debian's ngtcp2 (endpoints/ngtcp2_endpoint.h) as the client or
// the server of one pair, for its measured handshake or (with resumption)
// its priming handshake, from the scenario's endpoint configuration.
#ifndef QUICSIM_SCENARIOS_NGTCP2_SIDES_H_
#define QUICSIM_SCENARIOS_NGTCP2_SIDES_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "endpoints/handshake_pair.h"
#include "endpoints/ngtcp2_session_cache.h"
#include "scenarios/scenario.pb.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/test_pki.h"

namespace quicsim::scenarios {

// What an ngtcp2 side needs from the world.
struct Ngtcp2SideWorld {
  const tls::TestChain* chain = nullptr;               // server side
  const std::vector<uint8_t>* trust_anchor = nullptr;  // client side
  sim::Scheduler* scheduler = nullptr;
  sim::Network* network = nullptr;
  sim::TraceSink* trace = nullptr;
  // Shared by the pair's priming and measured handshakes; null without
  // resumption.
  std::shared_ptr<endpoints::Ngtcp2SessionCache> session_cache;
};

// Sets o->foreign_client or o->foreign_server (whichever side of `client` /
// `server` has stack NGTCP2; nothing when neither does). `prime`: the pair's
// priming handshake (no faults, no Retry, no Version Negotiation; a client
// waits for its session ticket). With resumption and a 0-RTT client, the
// measured ngtcp2 client sends the request our server then expects.
void WireNgtcp2Side(const EndpointConfig& client, const EndpointConfig& server,
                    bool prime, const Ngtcp2SideWorld& world,
                    endpoints::HandshakePairOptions* o);

// The request a resuming 0-RTT client sends (our own client and ngtcp2's).
const std::vector<uint8_t>& ResumptionRequest();

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_NGTCP2_SIDES_H_
