// Handshakes between our client and server on the simulated network (the
// scenarios layer's pair fixture, each pair watched by its oracles): clean
// and impaired links, Retry, Version Negotiation, resumption and 0-RTT, the
// amplification limit, and the error-injection rows of the design brief.
#include "endpoints/connection.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "endpoints/handshake_pair.h"
#include "gtest/gtest.h"
#include "scenarios/testing/pair_fixture.h"
#include "sim/capture.h"
#include "sim/impairment.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/context.h"
#include "tls/test_pki.h"

namespace quicsim::endpoints {
namespace {

using sim::Duration;

using scenarios::testing::MakeTlsContexts;
using scenarios::testing::PairFixture;
using Contexts = scenarios::testing::TlsContexts;
using ContextOptions = scenarios::testing::TlsOptions;

Contexts MakeContexts(const ContextOptions& o = {}) {
  return MakeTlsContexts(o);
}

// The fixture, printing the trace's tail when a test failed.
class World : public PairFixture {
 public:
  explicit World(uint64_t seed, sim::LinkConfig link = DefaultLink())
      : PairFixture(Options{seed, link}) {}
  ~World() {
    if (::testing::Test::HasFailure()) {
      const auto& events = trace().events();
      const size_t from = events.size() > 150 ? events.size() - 150 : 0;
      for (size_t i = from; i < events.size(); ++i) {
        std::fprintf(stderr, "%s\n", events[i].ToString().c_str());
      }
    }
  }
};

void ExpectConfirmed(const World& world, const HandshakePair& pair) {
  EXPECT_EQ(pair.client_verdict().kind, Verdict::Kind::kConfirmed)
      << VerdictToString(pair.client_verdict());
  EXPECT_EQ(pair.server_verdict().kind, Verdict::Kind::kConfirmed)
      << VerdictToString(pair.server_verdict());
  EXPECT_TRUE(world.oracle(&pair).violations().empty())
      << world.oracle(&pair).violations().front().oracle << ": "
      << world.oracle(&pair).violations().front().detail;
}

// Both sides end with `code`: one sent it, the other received it.
void ExpectClosedWith(const World& world, const HandshakePair& pair,
                      uint64_t code, Perspective sender) {
  const Verdict& sent = sender == Perspective::kClient ? pair.client_verdict()
                                                       : pair.server_verdict();
  const Verdict& received = sender == Perspective::kClient
                                ? pair.server_verdict()
                                : pair.client_verdict();
  EXPECT_EQ(sent.kind, Verdict::Kind::kClosedSent) << VerdictToString(sent);
  EXPECT_EQ(sent.code, code) << VerdictToString(sent);
  EXPECT_EQ(received.kind, Verdict::Kind::kClosedReceived)
      << VerdictToString(received);
  EXPECT_EQ(received.code, code) << VerdictToString(received);
  EXPECT_TRUE(world.oracle(&pair).violations().empty());
}

TEST(ConnectionTest, CleanHandshakeConfirmsBothSides) {
  Contexts contexts = MakeContexts();
  World world(1);
  HandshakePair* pair = world.AddPair(contexts);
  world.Run();
  ExpectConfirmed(world, *pair);
  // 20 ms RTT: the client confirms on HANDSHAKE_DONE after two round trips
  // (Initial/Handshake flight, then Finished -> HANDSHAKE_DONE).
  EXPECT_EQ(pair->client_verdict().elapsed, Duration::Millis(40));
  EXPECT_EQ(pair->server_verdict().elapsed, Duration::Millis(20));
  EXPECT_EQ(pair->client().stats().packets_lost, 0u);
}

TEST(ConnectionTest, SameSeedSameTraceDigest) {
  Contexts contexts = MakeContexts();
  std::string digests[3];
  for (int run = 0; run < 3; ++run) {
    World world(run < 2 ? 7 : 8);
    world.AddPair(contexts);
    world.Run();
    digests[run] = world.trace().DigestHex();
  }
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_NE(digests[0], digests[2]);
}

TEST(ConnectionTest, HandshakeLossThirtyPercentWithBursts) {
  // The interop runner's handshakeloss: 30% loss both ways, bursts of up to
  // three; all 50 handshakes must complete.
  Contexts contexts = MakeContexts();
  int confirmed = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    World world(seed);
    for (sim::Link* link : {world.c2s(), world.s2c()}) {
      sim::GilbertElliottLoss::Params ge;
      ge.p = 0.3 / 0.7 * (1.0 / 2.0);  // stationary loss 30%, mean burst 2
      ge.r = 0.5;
      link->AddImpairment(std::make_unique<sim::GilbertElliottLoss>(
          ge, world.network().MakeRng(link->name() + "/loss")));
    }
    HandshakePair* pair = world.AddPair(contexts);
    world.Run(Duration::Seconds(60));
    if (pair->client_verdict().kind == Verdict::Kind::kConfirmed &&
        pair->server_verdict().kind == Verdict::Kind::kConfirmed) {
      ++confirmed;
    } else {
      ADD_FAILURE() << "seed " << seed << ": client "
                    << VerdictToString(pair->client_verdict()) << ", server "
                    << VerdictToString(pair->server_verdict());
    }
    EXPECT_TRUE(world.oracle(pair).violations().empty()) << "seed " << seed;
  }
  EXPECT_EQ(confirmed, 50);
}

TEST(ConnectionTest, CorruptionReorderAndDuplication) {
  Contexts contexts = MakeContexts();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    World world(seed);
    for (sim::Link* link : {world.c2s(), world.s2c()}) {
      link->AddImpairment(std::make_unique<sim::Corrupt>(
          0.3, 3, world.network().MakeRng(link->name() + "/corrupt")));
      link->AddImpairment(std::make_unique<sim::Reorder>(
          0.3, Duration::Millis(15),
          world.network().MakeRng(link->name() + "/reorder")));
      link->AddImpairment(std::make_unique<sim::Duplicate>(
          0.3, world.network().MakeRng(link->name() + "/dup")));
    }
    HandshakePair* pair = world.AddPair(contexts);
    world.Run(Duration::Seconds(60));
    SCOPED_TRACE(absl::StrFormat("seed %d", seed));
    ExpectConfirmed(world, *pair);
  }
}

TEST(ConnectionTest, CorruptedConnectionIdInFirstInitialLeavesNoState) {
  // A flipped bit in the first Initial's Destination Connection ID derives
  // the wrong Initial keys: the server must keep no state for it, so the
  // client's retransmission (with the right DCID) is accepted.
  Contexts contexts = MakeContexts();
  World world(12);
  sim::Decision corrupt;
  corrupt.link = "c2s";
  corrupt.index = 0;
  corrupt.action = sim::Action::kCorrupt;
  corrupt.reason = "test";
  corrupt.bits = {6 * 8};  // first byte of the DCID (after 1+4+1 bytes)
  world.c2s()->SetScript({corrupt});
  HandshakePair* pair = world.AddPair(contexts);
  world.Run();
  ExpectConfirmed(world, *pair);
  EXPECT_EQ(pair->client().stats().ptos, 1u);
}

TEST(ConnectionTest, LargerDatagramsWithinThePeersLimit) {
  // The server builds up to 1450-byte datagrams, the client advertises 1300:
  // after the client's parameters arrive the server sends nothing larger.
  Contexts contexts =
      MakeContexts(ContextOptions{.chain_length = 3, .cert_size = 600});
  World world(13);
  sim::Capture capture;
  world.network().set_capture(&capture);
  HandshakePair* pair = world.AddPair(contexts, [](HandshakePairOptions& o) {
    o.client.max_udp_payload_size = 1300;
    o.server.connection.max_datagram_size = 1450;
  });
  world.Run();
  ExpectConfirmed(world, *pair);
  size_t largest_from_server = 0;
  for (const sim::CapturedDatagram& d : capture.datagrams()) {
    if (d.src == sim::Address::V4(10, 0, 1, 1, 443)) {
      largest_from_server = std::max(largest_from_server, d.payload.size());
    }
  }
  // Bigger than the default 1200, never above the client's 1300.
  EXPECT_GT(largest_from_server, 1200u);
  EXPECT_LE(largest_from_server, 1300u);
}

TEST(ConnectionTest, LongDelay) {
  Contexts contexts = MakeContexts();
  sim::LinkConfig link;
  link.delay = Duration::Millis(750);
  World world(3, link);
  HandshakePair* pair = world.AddPair(contexts);
  world.Run();
  ExpectConfirmed(world, *pair);
  EXPECT_EQ(pair->client_verdict().elapsed, Duration::Millis(3000));
}

TEST(ConnectionTest, Retry) {
  Contexts contexts = MakeContexts();
  World world(4);
  HandshakePair* pair = world.AddPair(
      contexts, [](HandshakePairOptions& o) { o.server.retry = true; });
  world.Run();
  ExpectConfirmed(world, *pair);
  EXPECT_EQ(pair->server_endpoint().retries_sent(), 1u);
  // One extra round trip for the Retry.
  EXPECT_EQ(pair->client_verdict().elapsed, Duration::Millis(60));
}

TEST(ConnectionTest, VersionNegotiation) {
  Contexts contexts = MakeContexts();
  World world(5);
  HandshakePair* pair = world.AddPair(contexts, [](HandshakePairOptions& o) {
    o.client.initial_version = 0x1a2a3a4a;
  });
  world.Run();
  ExpectConfirmed(world, *pair);
  EXPECT_EQ(pair->server_endpoint().version_negotiations_sent(), 1u);
  EXPECT_EQ(pair->client_verdict().elapsed, Duration::Millis(60));
}

TEST(ConnectionTest, ResumptionWithZeroRttAccepted) {
  ContextOptions co;
  co.enable_0rtt = true;
  Contexts contexts = MakeContexts(co);
  World world(6);
  HandshakePair* first = world.AddPair(contexts, [](HandshakePairOptions& o) {
    o.client.wait_for_session_ticket = true;
  });
  world.Run();
  ExpectConfirmed(world, *first);
  ASSERT_TRUE(first->client().received_session().valid());
  tls::Session session = first->client().received_session();
  EXPECT_TRUE(session.early_data_capable());

  const std::vector<uint8_t> request = {'G', 'E', 'T', ' ', '/'};
  HandshakePair* second = world.AddPair(contexts, [&](HandshakePairOptions& o) {
    o.client.resume_session = session;
    o.client.request = request;
    o.server.connection.expect_request_bytes = request.size();
  });
  world.Run();
  ExpectConfirmed(world, *second);
  EXPECT_TRUE(second->client_verdict().resumed);
  EXPECT_TRUE(second->client_verdict().early_data_accepted);
  ASSERT_NE(second->server(), nullptr);
  EXPECT_EQ(second->server()->request_bytes_received(), request.size());
  EXPECT_TRUE(second->server()->request_in_0rtt());
}

TEST(ConnectionTest, ZeroRttRejectedRequestArrivesIn1Rtt) {
  ContextOptions co;
  co.enable_0rtt = true;
  Contexts first_contexts = MakeContexts(co);
  World world(7);
  HandshakePair* first = world.AddPair(
      first_contexts,
      [](HandshakePairOptions& o) { o.client.wait_for_session_ticket = true; });
  world.Run();
  ASSERT_TRUE(first->client().received_session().valid());
  // A server with another early-data context rejects the 0-RTT attempt
  // (quic_parameter_mismatch) but still resumes.
  tls::Config server = first_contexts.server->config();
  server.early_data_context = {'o', 't', 'h', 'e', 'r'};
  Contexts second_contexts;
  second_contexts.client = std::move(first_contexts.client);
  second_contexts.server = *tls::Context::Create(server);
  const std::vector<uint8_t> request = {'G', 'E', 'T'};
  HandshakePair* second =
      world.AddPair(second_contexts, [&](HandshakePairOptions& o) {
        o.client.resume_session = first->client().received_session();
        o.client.request = request;
        o.server.connection.expect_request_bytes = request.size();
      });
  world.Run();
  ExpectConfirmed(world, *second);
  EXPECT_FALSE(second->client_verdict().early_data_accepted);
  ASSERT_NE(second->server(), nullptr);
  EXPECT_EQ(second->server()->request_bytes_received(), request.size());
  EXPECT_FALSE(second->server()->request_in_0rtt());
}

TEST(ConnectionTest, AmplificationLimitWithLargeChain) {
  // Nine certificates of ~1 KB while the client's 2nd to 7th datagrams are
  // lost: the oracle checks every server datagram against 3x.
  ContextOptions co;
  co.chain_length = 9;
  co.cert_size = 1000;
  Contexts contexts = MakeContexts(co);
  World world(8);
  world.c2s()->AddImpairment(
      std::make_unique<sim::DropNth>(std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  HandshakePair* pair = world.AddPair(contexts);
  world.Run();
  ExpectConfirmed(world, *pair);
  EXPECT_GT(world.oracle(pair).amplification().server_sent_unvalidated(), 0u);
  EXPECT_LE(
      world.oracle(pair).amplification().server_sent_unvalidated(),
      3 * world.oracle(pair).amplification().server_received_unvalidated());
}

struct FaultCase {
  std::string name;
  ContextOptions contexts;
  EndpointFaults server_faults;
  uint64_t code;
  Perspective sender;
};

class FaultTest : public ::testing::TestWithParam<std::tuple<FaultCase, bool>> {
};

TEST_P(FaultTest, BothSidesEndWithTheExpectedCode) {
  const FaultCase& fault = std::get<0>(GetParam());
  const bool lossy = std::get<1>(GetParam());
  Contexts contexts = MakeContexts(fault.contexts);
  for (uint64_t seed = 1; seed <= (lossy ? 10 : 1); ++seed) {
    SCOPED_TRACE(absl::StrFormat("seed %d", seed));
    World world(seed);
    if (lossy) {
      for (sim::Link* link : {world.c2s(), world.s2c()}) {
        link->AddImpairment(std::make_unique<sim::BernoulliLoss>(
            0.3, world.network().MakeRng(link->name() + "/loss")));
      }
    }
    HandshakePair* pair = world.AddPair(contexts, [&](HandshakePairOptions& o) {
      o.server.connection.faults = fault.server_faults;
    });
    world.Run(Duration::Seconds(120));
    ExpectClosedWith(world, *pair, fault.code, fault.sender);
    // Bounded virtual time: well within the idle timeout.
    EXPECT_LT(pair->client_verdict().elapsed, Duration::Seconds(10));
  }
}

std::vector<FaultCase> FaultCases() {
  std::vector<FaultCase> cases;
  {
    FaultCase c{"alpn_mismatch", {}, {}, 0x178, Perspective::kServer};
    c.contexts.server_faults.alpn_mismatch = true;
    cases.push_back(c);
  }
  {
    FaultCase c{
        "refuse_transport_parameters", {}, {}, 0x08, Perspective::kServer};
    c.server_faults.refuse_peer_transport_parameters = true;
    cases.push_back(c);
  }
  {
    // The application refuses with an alert of its choosing (here
    // unsupported_extension, 110): CRYPTO_ERROR 0x16e on both sides.
    FaultCase c{"refuse_transport_parameters_with_alert",
                {},
                {},
                0x16e,
                Perspective::kServer};
    c.server_faults.refuse_peer_transport_parameters = true;
    c.server_faults.refuse_alert = 110;
    cases.push_back(c);
  }
  {
    FaultCase c{"no_certificate_for_sni", {}, {}, 0x128, Perspective::kServer};
    c.contexts.server_faults.no_certificate_for_sni = true;
    cases.push_back(c);
  }
  {
    FaultCase c{"server_internal_error", {}, {}, 0x150, Perspective::kServer};
    c.contexts.server_faults.fail_server_flight = true;
    cases.push_back(c);
  }
  {
    FaultCase c{"untrusted_certificate", {}, {}, 0x12a, Perspective::kClient};
    c.contexts.client_faults.verify = tls::FaultInjection::Verify::kUntrusted;
    cases.push_back(c);
  }
  {
    FaultCase c{"bad_signature", {}, {}, 0x133, Perspective::kClient};
    c.contexts.client_faults.verify =
        tls::FaultInjection::Verify::kBadSignature;
    cases.push_back(c);
  }
  {
    FaultCase c{"invalid_server_transport_parameters",
                {},
                {},
                0x08,
                Perspective::kClient};
    c.server_faults.invalid_transport_parameters = true;
    cases.push_back(c);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(ErrorInjection, FaultTest,
                         ::testing::Combine(::testing::ValuesIn(FaultCases()),
                                            ::testing::Bool()),
                         [](const auto& info) {
                           return std::get<0>(info.param).name +
                                  (std::get<1>(info.param) ? "_lossy"
                                                           : "_clean");
                         });

TEST(ConnectionTest, AbortBeforeClientHelloSendsNothing) {
  ContextOptions co;
  co.client_faults.abort_before_client_hello = true;
  Contexts contexts = MakeContexts(co);
  World world(9);
  HandshakePair* pair = world.AddPair(contexts);
  world.Run();
  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kAborted);
  EXPECT_EQ(pair->client_verdict().code, 0x150u);
  EXPECT_EQ(pair->client().stats().datagrams_sent, 0u);
  EXPECT_EQ(pair->server(), nullptr);
}

TEST(ConnectionTest, LostConnectionCloseEndsInIdleTimeout) {
  ContextOptions co;
  co.server_faults.alpn_mismatch = true;
  Contexts contexts = MakeContexts(co);
  World world(10);
  HandshakePair* pair = world.AddPair(contexts, [](HandshakePairOptions& o) {
    o.server.connection.faults.lose_connection_close = true;
    o.client.idle_timeout = Duration::Seconds(5);
  });
  world.Run();
  EXPECT_EQ(pair->server_verdict().kind, Verdict::Kind::kClosedSent);
  EXPECT_EQ(pair->server_verdict().code, 0x178u);
  EXPECT_EQ(pair->client_verdict().kind, Verdict::Kind::kTimedOut);
  EXPECT_TRUE(world.oracle(pair).violations().empty());
}

}  // namespace
}  // namespace quicsim::endpoints
