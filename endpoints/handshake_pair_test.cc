// HandshakePair::ReleaseState(): a finished pair frees its endpoints and
// stays indistinguishable from one that kept them.
#include "endpoints/handshake_pair.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::endpoints {
namespace {

struct Contexts {
  std::unique_ptr<tls::Context> client;
  std::unique_ptr<tls::Context> server;
};

const Contexts& GetContexts() {
  static const Contexts* contexts = [] {
    const tls::TestChain chain = *tls::MakeTestChain({});
    tls::Config server;
    server.role = tls::Role::kServer;
    server.certificate_chain = chain.chain;
    server.private_key = chain.private_key;
    tls::Config client;
    client.role = tls::Role::kClient;
    client.trust_anchors = {chain.root};
    auto* c = new Contexts;
    c->client = *tls::Context::Create(client);
    c->server = *tls::Context::Create(server);
    return c;
  }();
  return *contexts;
}

const sim::Address kClient = sim::Address::V4(10, 0, 0, 1, 40000);
const sim::Address kServer = sim::Address::V4(10, 0, 1, 1, 443);
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
  sim::Scheduler scheduler;
  sim::TraceRecorder trace;
  sim::Network network(&scheduler, 7, &trace);
  sim::LinkConfig link;
  link.delay = sim::Duration::Millis(10);
  sim::Link* c2s = network.AddLink("c2s", link);
  sim::Link* s2c = network.AddLink("s2c", link);
  network.AddRoute(kStranger, kClient, s2c);
  network.AddRoute(kStranger, kServer, c2s);
  HandshakePairOptions options;
  options.client.tls_context = GetContexts().client.get();
  options.client.local = kClient;
  options.server.connection.tls_context = GetContexts().server.get();
  options.server.connection.local = kServer;
  options.client_to_server = c2s;
  options.server_to_client = s2c;
  HandshakePair pair(std::move(options), &scheduler, &network, 7, "pair/0",
                     &trace);
  pair.set_on_done([&] {
    pair.Stop();
    if (release) {
      scheduler.At(scheduler.Now(), [&] { pair.ReleaseState(); });
    }
    for (int i = 0; i < late; ++i) {
      for (sim::Address to : {kClient, kServer}) {
        scheduler.After(sim::Duration::Millis(1 + i), [&network, to] {
          network.Send({kStranger, to, std::vector<uint8_t>(1200, 0xc3)});
        });
      }
    }
  });
  EXPECT_TRUE(pair.Start().ok());
  scheduler.set_limits(
      {.max_events = 1'000'000,
       .max_time = sim::Time::Zero() + sim::Duration::Seconds(60)});
  scheduler.RunUntilIdle();
  Outcome o;
  o.client = pair.client_verdict();
  o.server = pair.server_verdict();
  o.done = pair.done();
  o.has_client = pair.has_quicsim_client();
  o.digest = trace.DigestHex();
  o.trace_count = trace.count();
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
  sim::Scheduler scheduler;
  sim::TraceRecorder trace;
  sim::Network network(&scheduler, 7, &trace);
  sim::Link* c2s = network.AddLink("c2s", {});
  sim::Link* s2c = network.AddLink("s2c", {});
  HandshakePairOptions options;
  options.client.tls_context = GetContexts().client.get();
  options.client.local = kClient;
  options.server.connection.tls_context = GetContexts().server.get();
  options.server.connection.local = kServer;
  options.client_to_server = c2s;
  options.server_to_client = s2c;
  HandshakePair pair(std::move(options), &scheduler, &network, 7, "pair/0",
                     &trace);
  ASSERT_TRUE(pair.Start().ok());
  pair.ReleaseState();  // neither stopped nor done: no effect
  EXPECT_TRUE(pair.has_quicsim_client());
  pair.Stop();
  pair.ReleaseState();  // stopped but not done: no effect either
  EXPECT_TRUE(pair.has_quicsim_client());
  EXPECT_EQ(pair.client_verdict().kind, Verdict::Kind::kNone);
}

}  // namespace
}  // namespace quicsim::endpoints
