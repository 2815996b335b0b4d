// Whole-endpoint fuzz target: arbitrary bytes arrive as a datagram at a
// fresh server endpoint and at a client connection that has sent its first
// Initial; the simulation then runs for a bounded virtual time. Nothing may
// crash, read out of bounds or stall.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "endpoints/endpoint.h"
#include "endpoints/testing/pair_world.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using quicsim::endpoints::ClientEndpoint;
using quicsim::endpoints::HandshakePairOptions;
using quicsim::endpoints::ServerEndpoint;
using quicsim::endpoints::testing::MakeTlsContexts;
using quicsim::endpoints::testing::PairWorld;
using quicsim::endpoints::testing::TlsContexts;
using quicsim::sim::Duration;

const TlsContexts& Contexts() {
  static const TlsContexts* contexts = new TlsContexts(MakeTlsContexts());
  return *contexts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  PairWorld::Options world_options;
  world_options.link.delay = Duration::Millis(5);
  world_options.record_trace = false;
  PairWorld world(world_options);
  world.scheduler().set_limits(
      {.max_events = 100000,
       .max_time = quicsim::sim::Time::Zero() + Duration::Seconds(5)});
  HandshakePairOptions o = world.PairOptions(Contexts(), 0);
  o.server.retry = size > 0 && (data[0] & 1);
  // The endpoints themselves, not a HandshakePair: the input reaches both
  // at once, ahead of anything on the links.
  world.AddRoutes(o);
  ServerEndpoint server(o.server, &world.scheduler(), &world.network(), 2,
                        "server", nullptr, nullptr);
  FUZZ_CHECK(server.Start().ok());
  ClientEndpoint client(o.client, &world.scheduler(), &world.network(), 3,
                        "client", nullptr, nullptr);
  FUZZ_CHECK(client.Start().ok());

  quicsim::sim::Datagram to_server;
  to_server.src = o.client.local;
  to_server.dst = o.server.connection.local;
  to_server.payload.assign(data, data + size);
  quicsim::sim::Datagram to_client = to_server;
  std::swap(to_client.src, to_client.dst);
  server.OnDatagram(std::move(to_server));
  client.OnDatagram(std::move(to_client));
  world.scheduler().RunUntilIdle();
  return 0;
}
