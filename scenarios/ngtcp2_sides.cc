#include "scenarios/ngtcp2_sides.h"

#include <string>
#include <utility>

#include "endpoints/ngtcp2_endpoint.h"
#include "scenarios/faults.h"

namespace quicsim::scenarios {

const std::vector<uint8_t>& ResumptionRequest() {
  static const std::vector<uint8_t> kRequest = {'G', 'E', 'T', ' ', '/'};
  return kRequest;
}

void WireNgtcp2Side(const EndpointConfig& cl, const EndpointConfig& sv,
                    bool prime, const Ngtcp2SideWorld& world,
                    endpoints::HandshakePairOptions* o) {
  const bool ng_client = cl.stack() == EndpointConfig::NGTCP2;
  const bool ng_server = sv.stack() == EndpointConfig::NGTCP2;
  if (!ng_client && !ng_server) return;
  endpoints::Ngtcp2EndpointOptions ng;
  const EndpointConfig& ep = ng_client ? cl : sv;
  if (!prime) {
    const PairFaults faults = MapFaults(cl, sv);
    ng.faults = ng_client ? faults.client.ngtcp2 : faults.server.ngtcp2;
    ng.retry = ng_server && sv.retry();
    if (ng_client && cl.offer_unknown_version_first()) {
      ng.first_version = 0x1a2a3a4a;
    }
  }
  if (!ep.alpn().empty()) ng.alpn.assign(ep.alpn().begin(), ep.alpn().end());
  if (!cl.server_name().empty()) ng.server_name = cl.server_name();
  ng.idle_timeout =
      ng_client ? o->client.idle_timeout : o->server.connection.idle_timeout;
  // A server issues tickets whenever the client resumes (as our own server,
  // whose BoringSSL context always does); a client stores them only when it
  // resumes.
  if (world.session_cache != nullptr &&
      (ng_server || cl.resumption().enabled())) {
    ng.session_cache = world.session_cache;
    if (ng_server) {
      // Its tickets always allow 0-RTT (the priming server runs with
      // GNUTLS_ENABLE_EARLY_DATA); the measured one accepts it only with
      // resumption.zero_rtt and without decline_early_data, else GnuTLS
      // refuses the early data the client sends: a 0-RTT rejection the
      // client sees, not a ticket without early_data.
      ng.early_data =
          prime || (sv.resumption().enabled() && sv.resumption().zero_rtt() &&
                    !sv.decline_early_data());
    } else if (prime) {
      ng.wait_for_session_ticket = true;
    } else if (cl.resumption().zero_rtt() &&
               world.session_cache->has_client_session()) {
      ng.early_data = true;
      ng.request = ResumptionRequest();
      o->server.connection.expect_request_bytes = ng.request.size();
    }
  }
  sim::Scheduler* sched = world.scheduler;
  sim::Network* net = world.network;
  sim::TraceSink* sink = world.trace;
  if (ng_client) {
    ng.local = o->client.local;
    ng.peer = o->server.connection.local;
    ng.trust_anchor = *world.trust_anchor;
    o->foreign_client = [ng, sched, net, sink](
                            uint64_t rng_seed, const std::string& actor,
                            endpoints::ConnectionObserver* observer) {
      return std::unique_ptr<endpoints::ForeignEndpoint>(
          std::make_unique<endpoints::Ngtcp2ClientEndpoint>(
              ng, sched, net, rng_seed, actor, sink, observer));
    };
  } else {
    ng.local = o->server.connection.local;
    ng.certificate_chain = world.chain->chain;
    ng.private_key = world.chain->private_key;
    o->foreign_server = [ng, sched, net, sink](
                            uint64_t rng_seed, const std::string& actor,
                            endpoints::ConnectionObserver* observer) {
      return std::unique_ptr<endpoints::ForeignEndpoint>(
          std::make_unique<endpoints::Ngtcp2ServerEndpoint>(
              ng, sched, net, rng_seed, actor, sink, observer));
    };
  }
}

}  // namespace quicsim::scenarios
