// HandshakePair::ReleaseState(): a finished pair frees its endpoints and
// stays indistinguishable from one that kept them.
#include "endpoints/handshake_pair.h"

#include <string>
#include <vector>

#include "endpoints/testing/pair_world.h"
#include "gtest/gtest.h"
#include "sim/network.h"
#include "sim/scheduler.h"

namespace quicsim::endpoints {
namespace {

using testing::PairWorld;
using testing::TlsContexts;

const TlsContexts& Contexts() {
  static const TlsContexts* contexts =
      new TlsContexts(testing::MakeTlsContexts());
  return *contexts;
}

const sim::Address kStranger = sim::Address::V4(10, 9, 9, 9, 9999);

// One pair on a 10 ms link; after it is done, `late` datagrams from a third
// address reach the client and then the server (what a retransmission
// still in flight does).
struct Outcome {
  Verdict client;
  Verdict server;
  bool done = false;
  bool has_client = false;
  std::string digest;
  uint64_t trace_count = 0;
  uint64_t delivered = 0;
  uint64_t no_receiver = 0;
};

Outcome RunPair(bool release, int late) {
  PairWorld world(PairWorld::Options{.seed = 7});
  sim::Scheduler& scheduler = world.scheduler();
  sim::Network& network = world.network();
  const sim::Address client = PairWorld::ClientAddress(0);
  const sim::Address server = PairWorld::ServerAddress(0);
  network.AddRoute(kStranger, client, world.s2c());
  network.AddRoute(kStranger, server, world.c2s());
  HandshakePair* pair = world.AddPair(world.PairOptions(Contexts(), 0));
  EXPECT_NE(pair, nullptr) << world.start_status();
  if (pair == nullptr) return {};
  pair->set_on_done([&, pair] {
    pair->Stop();
    if (release) {
      scheduler.At(scheduler.Now(), [pair] { pair->ReleaseState(); });
    }
    for (int i = 0; i < late; ++i) {
      for (sim::Address to : {client, server}) {
        scheduler.After(sim::Duration::Millis(1 + i), [&network, to] {
          network.Send({kStranger, to, std::vector<uint8_t>(1200, 0xc3)});
        });
      }
    }
  });
  world.Run(sim::Duration::Seconds(60));
  Outcome o;
  o.client = pair->client_verdict();
  o.server = pair->server_verdict();
  o.done = pair->done();
  o.has_client = pair->has_quicsim_client();
  o.digest = world.trace().DigestHex();
  o.trace_count = world.trace().count();
  o.delivered = network.delivered();
  o.no_receiver = network.dropped_no_receiver();
  return o;
}

TEST(HandshakePairReleaseTest, KeepsVerdictsAndDone) {
  const Outcome o = RunPair(/*release=*/true, /*late=*/0);
  EXPECT_FALSE(o.has_client);  // the endpoint is gone
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.client.kind, Verdict::Kind::kConfirmed);
  EXPECT_EQ(o.server.kind, Verdict::Kind::kConfirmed);
}

TEST(HandshakePairReleaseTest, LateDatagramsAreIgnoredAsBefore) {
  const Outcome kept = RunPair(/*release=*/false, /*late=*/3);
  const Outcome released = RunPair(/*release=*/true, /*late=*/3);
  ASSERT_TRUE(kept.has_client);
  ASSERT_FALSE(released.has_client);
  // Six late datagrams reach a receiver either way; none is reported as
  // undeliverable, and the trace is the same event for event.
  EXPECT_EQ(released.delivered, kept.delivered);
  EXPECT_EQ(released.no_receiver, 0u);
  EXPECT_EQ(kept.no_receiver, 0u);
  EXPECT_EQ(released.trace_count, kept.trace_count);
  EXPECT_EQ(released.digest, kept.digest);
  EXPECT_EQ(released.client.kind, kept.client.kind);
  EXPECT_EQ(released.client.code, kept.client.code);
  EXPECT_EQ(released.server.kind, kept.server.kind);
  // And they did arrive after the pair was done.
  EXPECT_EQ(kept.delivered, RunPair(false, 0).delivered + 6);
}

TEST(HandshakePairReleaseTest, NothingIsReleasedBeforeTheVerdict) {
  PairWorld world(PairWorld::Options{.seed = 7});
  HandshakePair* pair = world.AddPair(world.PairOptions(Contexts(), 0));
  ASSERT_NE(pair, nullptr) << world.start_status();
  pair->ReleaseState();  // neither stopped nor done: no effect
  EXPECT_TRUE(pair->has_quicsim_client());
  pair->Stop();
  pair->ReleaseState();  // stopped but not done: no effect either
  EXPECT_TRUE(pair->has_quicsim_client());
  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kNone);
}

}  // namespace
}  // namespace quicsim::endpoints
