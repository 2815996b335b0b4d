// Whole-endpoint fuzz target: arbitrary bytes arrive as a datagram at a
// fresh server endpoint and at a client connection that has sent its first
// Initial; the simulation then runs for a bounded virtual time. Nothing may
// crash, read out of bounds or stall.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "endpoints/endpoint.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "tests/fuzz/fuzz_check.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace {

using quicsim::endpoints::ClientEndpoint;
using quicsim::endpoints::ConnectionOptions;
using quicsim::endpoints::Perspective;
using quicsim::endpoints::ServerEndpoint;
using quicsim::endpoints::ServerEndpointOptions;

struct Contexts {
  std::unique_ptr<quicsim::tls::Context> client;
  std::unique_ptr<quicsim::tls::Context> server;
};

const Contexts& GetContexts() {
  static const Contexts* contexts = [] {
    auto chain = quicsim::tls::MakeTestChain({});
    FUZZ_CHECK(chain.ok());
    quicsim::tls::Config server;
    server.role = quicsim::tls::Role::kServer;
    server.certificate_chain = chain->chain;
    server.private_key = chain->private_key;
    quicsim::tls::Config client;
    client.role = quicsim::tls::Role::kClient;
    client.trust_anchors = {chain->root};
    auto* c = new Contexts;
    c->client = *quicsim::tls::Context::Create(client);
    c->server = *quicsim::tls::Context::Create(server);
    return c;
  }();
  return *contexts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Contexts& contexts = GetContexts();
  quicsim::sim::Scheduler scheduler(
      {.max_events = 100000,
       .max_time =
           quicsim::sim::Time::Zero() + quicsim::sim::Duration::Seconds(5)});
  quicsim::sim::Network network(&scheduler, /*seed=*/1);
  const auto client_addr = quicsim::sim::Address::V4(10, 0, 0, 1, 4000);
  const auto server_addr = quicsim::sim::Address::V4(10, 0, 1, 1, 443);
  quicsim::sim::LinkConfig link_config;
  link_config.delay = quicsim::sim::Duration::Millis(5);
  quicsim::sim::Link* c2s = network.AddLink("c2s", link_config);
  quicsim::sim::Link* s2c = network.AddLink("s2c", link_config);
  network.AddRoute(client_addr, server_addr, c2s);
  network.AddRoute(server_addr, client_addr, s2c);

  ServerEndpointOptions server_options;
  server_options.connection.perspective = Perspective::kServer;
  server_options.connection.tls_context = contexts.server.get();
  server_options.connection.local = server_addr;
  server_options.retry = size > 0 && (data[0] & 1);
  ServerEndpoint server(server_options, &scheduler, &network, 2, "server",
                        nullptr, nullptr);
  FUZZ_CHECK(server.Start().ok());

  ConnectionOptions client_options;
  client_options.perspective = Perspective::kClient;
  client_options.tls_context = contexts.client.get();
  client_options.local = client_addr;
  client_options.peer = server_addr;
  ClientEndpoint client(client_options, &scheduler, &network, 3, "client",
                        nullptr, nullptr);
  FUZZ_CHECK(client.Start().ok());

  quicsim::sim::Datagram to_server;
  to_server.src = client_addr;
  to_server.dst = server_addr;
  to_server.payload.assign(data, data + size);
  quicsim::sim::Datagram to_client = to_server;
  to_client.src = server_addr;
  to_client.dst = client_addr;
  server.OnDatagram(std::move(to_server));
  client.OnDatagram(std::move(to_client));
  scheduler.RunUntilIdle();
  return 0;
}
