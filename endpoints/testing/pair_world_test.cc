#include "endpoints/testing/pair_world.h"

#include "endpoints/endpoint.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints::testing {
namespace {

TEST(PairWorldTest, PairOptionsNameAddressesLinksAndContexts) {
  const TlsContexts contexts = MakeTlsContexts();
  PairWorld world;
  const HandshakePairOptions o = world.PairOptions(contexts, 3);
  EXPECT_EQ(o.client.local, sim::Address::V4(10, 0, 0, 1, 40003));
  EXPECT_EQ(o.server.connection.local, sim::Address::V4(10, 0, 1, 1, 446));
  EXPECT_EQ(o.client.peer, o.server.connection.local);
  EXPECT_EQ(o.server.connection.peer, o.client.local);
  EXPECT_EQ(o.client.perspective, Perspective::kClient);
  EXPECT_EQ(o.server.connection.perspective, Perspective::kServer);
  EXPECT_EQ(o.client.tls_context, contexts.client.get());
  EXPECT_EQ(o.server.connection.tls_context, contexts.server.get());
  EXPECT_EQ(o.client_to_server, world.c2s());
  EXPECT_EQ(o.server_to_client, world.s2c());
  EXPECT_EQ(o.observer, nullptr);
  EXPECT_EQ(world.c2s()->name(), "c2s");
  EXPECT_EQ(world.s2c()->name(), "s2c");
  ASSERT_NE(contexts.chain, nullptr);
  EXPECT_EQ(contexts.chain, &TestChainOf());
}

TEST(PairWorldTest, PairsConfirmAndStopThemselves) {
  const TlsContexts contexts = MakeTlsContexts();
  PairWorld world;
  HandshakePair* a = world.AddPair(world.PairOptions(contexts, 0));
  HandshakePairOptions retry = world.PairOptions(contexts, 1);
  retry.server.retry = true;
  HandshakePair* b = world.AddPair(std::move(retry));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->name(), "pair/0");
  EXPECT_EQ(b->name(), "pair/1");
  world.Run();
  EXPECT_EQ(world.pair_count(), 2);
  for (HandshakePair* pair : {a, b}) {
    EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kConfirmed);
    EXPECT_EQ(pair->server_verdict().kind, Verdict::Kind::kConfirmed);
    EXPECT_TRUE(pair->done());
  }
  // 10 ms each way: two round trips; Retry adds one.
  EXPECT_EQ(a->client_verdict().elapsed, sim::Duration::Millis(40));
  EXPECT_EQ(b->client_verdict().elapsed, sim::Duration::Millis(60));
  EXPECT_FALSE(world.trace().events().empty());
  // Stopped once done: nothing was left to run.
  EXPECT_FALSE(world.scheduler().stalled());
}

TEST(PairWorldTest, WithoutTraceNothingIsRecorded) {
  const TlsContexts contexts = MakeTlsContexts();
  PairWorld::Options options;
  options.record_trace = false;
  PairWorld world(options);
  HandshakePair* pair = world.AddPair(world.PairOptions(contexts, 0));
  ASSERT_NE(pair, nullptr);
  world.Run();
  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kConfirmed);
  EXPECT_EQ(world.trace().count(), 0u);
}

TEST(PairWorldTest, EndpointsWithoutAPairUseTheRoutes) {
  TlsOptions tls;
  tls.server_faults.alpn_mismatch = true;
  const TlsContexts contexts = MakeTlsContexts(tls);
  PairWorld world;
  const HandshakePairOptions o = world.PairOptions(contexts, 0);
  world.AddRoutes(o);
  ServerEndpoint server(o.server, &world.scheduler(), &world.network(), 2,
                        "server", &world.trace(), nullptr);
  ClientEndpoint client(o.client, &world.scheduler(), &world.network(), 3,
                        "client", &world.trace(), nullptr);
  ASSERT_TRUE(server.Start().ok());
  ASSERT_TRUE(client.Start().ok());
  world.Run(sim::Duration::Seconds(5));
  // The server's TLS fault reached it: no_application_protocol.
  EXPECT_EQ(client.connection().verdict().kind, Verdict::Kind::kClosedReceived);
  EXPECT_EQ(client.connection().verdict().code, 0x178u);
}

}  // namespace
}  // namespace quicsim::endpoints::testing
