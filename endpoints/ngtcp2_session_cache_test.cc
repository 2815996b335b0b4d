// Ngtcp2SessionCache on its own: one pair of ngtcp2 servers sharing a cache
// resumes a ticket the other issued, accepts the 0-RTT of a ClientHello once
// and refuses it when the very same ClientHello reaches a second server
// (anti-replay, RFC 8446 §8). The duplicate comes from a tee in the network
// that copies the resumed client's datagrams to both servers.
#include "endpoints/ngtcp2_session_cache.h"

#include <memory>
#include <utility>
#include <vector>

#include "endpoints/endpoint.h"
#include "endpoints/ngtcp2_endpoint.h"
#include "gtest/gtest.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::endpoints {
namespace {

using sim::Address;

// Forwards each datagram it receives to every (source, destination) pair.
class Tee : public sim::DatagramReceiver {
 public:
  Tee(sim::Network* network, std::vector<std::pair<Address, Address>> out)
      : network_(network), out_(std::move(out)) {}
  void OnDatagram(sim::Datagram d) override {
    for (const auto& [src, dst] : out_) {
      sim::Datagram copy = d;
      copy.src = src;
      copy.dst = dst;
      network_->Send(std::move(copy));
    }
  }

 private:
  sim::Network* network_;
  std::vector<std::pair<Address, Address>> out_;
};

class Sink : public sim::DatagramReceiver {
 public:
  void OnDatagram(sim::Datagram) override {}
};

struct World {
  World() : network(&scheduler, 1, &trace) {
    sim::LinkConfig config;
    config.delay = sim::Duration::Millis(5);
    link = network.AddLink("link", config);
    scheduler.set_limits(
        {.max_events = 1'000'000,
         .max_time = sim::Time::Zero() + sim::Duration::Seconds(120)});
  }
  void Route(Address a, Address b) {
    network.AddRoute(a, b, link);
    network.AddRoute(b, a, link);
  }
  sim::Scheduler scheduler;
  sim::TraceRecorder trace;
  sim::Network network;
  sim::Link* link;
};

std::unique_ptr<Ngtcp2ServerEndpoint> Server(
    World& w, Address local, std::shared_ptr<Ngtcp2SessionCache> cache,
    const char* actor) {
  static const tls::TestChain chain = *tls::MakeTestChain({});
  Ngtcp2EndpointOptions ng;
  ng.local = local;
  ng.certificate_chain = chain.chain;
  ng.private_key = chain.private_key;
  ng.session_cache = std::move(cache);
  ng.early_data = true;
  return std::make_unique<Ngtcp2ServerEndpoint>(
      std::move(ng), &w.scheduler, &w.network, 7, actor, &w.trace, nullptr);
}

std::unique_ptr<tls::Context> ClientContext() {
  static const tls::TestChain chain = *tls::MakeTestChain({});
  tls::Config config;
  config.role = tls::Role::kClient;
  config.trust_anchors = {chain.root};
  config.enable_0rtt = true;
  config.enable_session_events = true;
  absl::StatusOr<std::unique_ptr<tls::Context>> c =
      tls::Context::Create(config);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

TEST(Ngtcp2SessionCacheTest, SharedTicketKeyAndAntiReplay) {
  World w;
  auto cache = std::make_shared<Ngtcp2SessionCache>(1, "test/cache");
  std::unique_ptr<tls::Context> context = ClientContext();
  ASSERT_NE(context, nullptr);

  // Priming: our client gets a ticket from server P.
  const Address c0 = Address::V4(10, 0, 0, 1, 40000);
  const Address p = Address::V4(10, 0, 1, 1, 443);
  w.Route(c0, p);
  auto primer = Server(w, p, cache, "primer");
  ConnectionOptions o;
  o.perspective = Perspective::kClient;
  o.tls_context = context.get();
  o.local = c0;
  o.peer = p;
  o.wait_for_session_ticket = true;
  ClientEndpoint first(o, &w.scheduler, &w.network, 11, "first", &w.trace,
                       nullptr);
  ASSERT_TRUE(primer->Start().ok());
  ASSERT_TRUE(first.Start().ok());
  w.scheduler.RunUntilIdle();
  ASSERT_TRUE(first.connection().received_session().valid());
  EXPECT_EQ(cache->anti_replay_entries(), 0u);

  // The resumed client talks to a tee, which hands each datagram to server
  // A (whose answers come back through it) and, the same bytes, to server
  // B (whose answers go nowhere). Both are new connection objects that know
  // only the cache.
  const Address c1 = Address::V4(10, 0, 0, 2, 40000);
  const Address tee_front = Address::V4(10, 0, 2, 1, 443);
  const Address tee_back = Address::V4(10, 0, 2, 2, 5000);
  const Address sink_addr = Address::V4(10, 0, 2, 3, 5000);
  const Address a = Address::V4(10, 0, 1, 2, 443);
  const Address b = Address::V4(10, 0, 1, 3, 443);
  w.Route(c1, tee_front);
  w.Route(tee_back, a);
  w.Route(sink_addr, b);
  Tee front(&w.network, {{tee_back, a}, {sink_addr, b}});
  Tee back(&w.network, {{tee_front, c1}});
  Sink sink;
  ASSERT_TRUE(w.network.Register(tee_front, &front).ok());
  ASSERT_TRUE(w.network.Register(tee_back, &back).ok());
  ASSERT_TRUE(w.network.Register(sink_addr, &sink).ok());
  auto server_a = Server(w, a, cache, "a");
  auto server_b = Server(w, b, cache, "b");
  ASSERT_TRUE(server_a->Start().ok());
  ASSERT_TRUE(server_b->Start().ok());
  o.local = c1;
  o.peer = tee_front;
  o.wait_for_session_ticket = false;
  o.resume_session = first.connection().received_session();
  o.request = {'G', 'E', 'T', ' ', '/'};
  ClientEndpoint second(o, &w.scheduler, &w.network, 12, "second", &w.trace,
                        nullptr);
  ASSERT_TRUE(second.Start().ok());
  w.scheduler.RunUntilIdle();

  // A decrypted P's ticket and took the 0-RTT; B saw the same ClientHello
  // afterwards and the anti-replay database refused its early data.
  const Verdict& v = second.connection().verdict();
  EXPECT_EQ(v.kind, Verdict::Kind::kConfirmed);
  EXPECT_TRUE(v.resumed);
  EXPECT_TRUE(v.early_data_accepted);
  EXPECT_EQ(server_a->verdict().kind, Verdict::Kind::kConfirmed);
  EXPECT_TRUE(server_a->verdict().early_data_accepted);
  EXPECT_EQ(cache->anti_replay_entries(), 1u);
  EXPECT_EQ(cache->replays_refused(), 1u);
}

TEST(Ngtcp2SessionCacheTest, ClientSideStartsEmpty) {
  Ngtcp2SessionCache cache(1, "test/cache");
  EXPECT_FALSE(cache.has_client_session());
  EXPECT_FALSE(cache.remembered_params().has_value());
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_streams_bidi = 7;
  params.initial_max_data = 12345;
  params.max_idle_timeout = 99;  // not remembered (RFC 9000 §7.4.1)
  cache.RememberTransportParams(params);
  ASSERT_TRUE(cache.remembered_params().has_value());
  EXPECT_EQ(cache.remembered_params()->initial_max_streams_bidi, 7u);
  EXPECT_EQ(cache.remembered_params()->initial_max_data, 12345u);
  ngtcp2_transport_params defaults;
  ngtcp2_transport_params_default(&defaults);
  EXPECT_EQ(cache.remembered_params()->max_idle_timeout,
            defaults.max_idle_timeout);
}

}  // namespace
}  // namespace quicsim::endpoints
