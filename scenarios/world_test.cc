// QuicsimSeedRunner against hand-computed expectations: determinism per seed,
// scripted replays, predicate drops, phases, faults, ngtcp2 sides.
#include "scenarios/world.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "sim/time.h"

namespace quicsim::scenarios {
namespace {

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario();
}

constexpr char kLossy[] = R"pb(
  name: "lossy"
  network {
    client_to_server {
      delay: "10ms"
      impairments { loss: 0.3 }
    }
    server_to_client {
      delay: "10ms"
      impairments { loss: 0.3 }
    }
  }
  population { pairs: 3 start_spacing: "2ms" }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

TEST(QuicsimSeedRunnerTest, SameSeedSameDigestOtherSeedOtherDigest) {
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(kLossy);
  absl::StatusOr<SeedResult> a = runner.RunSeed(scenario, 5, {});
  absl::StatusOr<SeedResult> b = runner.RunSeed(scenario, 5, {});
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> traced = runner.RunSeed(scenario, 5, record);
  absl::StatusOr<SeedResult> c = runner.RunSeed(scenario, 6, {});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && traced.ok());
  EXPECT_EQ(a->events_digest.size(), 64u);
  EXPECT_EQ(a->events_digest, b->events_digest);
  // Recording the trace does not change the digest.
  EXPECT_EQ(a->events_digest, traced->events_digest);
  EXPECT_NE(a->events_digest, c->events_digest);
  EXPECT_FALSE(a->trace.has_value());
  ASSERT_TRUE(traced->trace.has_value());
  EXPECT_GT(traced->trace->events_size(), 0);
  ASSERT_EQ(a->pairs.size(), 3u);
  EXPECT_EQ(a->determinism, trace::BYTE_LEVEL);
}

TEST(QuicsimSeedRunnerTest, ScriptedDecisionsReproduceTheRecordedRun) {
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(kLossy);
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> recorded = runner.RunSeed(scenario, 11, record);
  ASSERT_TRUE(recorded.ok());
  std::vector<trace::NetworkDecision> script;
  for (const trace::Event& e : recorded->trace->events()) {
    if (e.has_decision()) script.push_back(e.decision());
  }
  // 30% loss on six links over whole handshakes: some datagrams were lost.
  ASSERT_FALSE(script.empty());
  for (const trace::NetworkDecision& d : script) {
    EXPECT_EQ(d.action(), trace::NetworkDecision::DROP);
    EXPECT_EQ(d.reason(), "bernoulli");
    EXPECT_GE(d.index(), 1u);  // 1-based in traces
  }
  RunSeedOptions scripted;
  scripted.scripted_decisions = script;
  absl::StatusOr<SeedResult> replayed = runner.RunSeed(scenario, 11, scripted);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->events_digest, recorded->events_digest);
  ASSERT_EQ(replayed->pairs.size(), recorded->pairs.size());
  for (size_t i = 0; i < replayed->pairs.size(); ++i) {
    EXPECT_EQ(replayed->pairs[i].client.handshake_time,
              recorded->pairs[i].client.handshake_time);
  }
  // An empty script is a clean network: a different run, all confirmed in
  // two round trips.
  scripted.scripted_decisions = std::vector<trace::NetworkDecision>{};
  absl::StatusOr<SeedResult> clean = runner.RunSeed(scenario, 11, scripted);
  ASSERT_TRUE(clean.ok());
  EXPECT_NE(clean->events_digest, recorded->events_digest);
  for (const PairResult& p : clean->pairs) {
    EXPECT_EQ(p.client.kind, VerdictKind::kConfirmed);
    EXPECT_EQ(p.client.handshake_time, sim::Duration::Millis(40));
  }
}

TEST(QuicsimSeedRunnerTest, FirstInitialDropCostsOneProbeTimeout) {
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(R"pb(
    network {
      client_to_server {
        delay: "10ms"
        impairments { drops { match: FIRST_INITIAL } }
      }
      server_to_client { delay: "10ms" }
    }
    population { pairs: 1 }
    seeds { count: 1 }
    expect { outcome: CONFIRMED }
  )pb");
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, record);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 1u);
  EXPECT_EQ(r->pairs[0].client.kind, VerdictKind::kConfirmed);
  EXPECT_TRUE(r->pairs[0].violations.empty());
  // Without the drop: 40 ms. With it the client waits for its PTO (about
  // 1 s with the 333 ms initial RTT) before the handshake starts over.
  EXPECT_GT(r->pairs[0].client.handshake_time, sim::Duration::Millis(900));
  int drops = 0;
  for (const trace::Event& e : r->trace->events()) {
    if (!e.has_decision()) continue;
    ++drops;
    EXPECT_EQ(e.decision().link(), "pair/0/c2s");
    EXPECT_EQ(e.decision().index(), 1u);
    EXPECT_EQ(e.decision().reason(), "predicate/first_initial");
    EXPECT_EQ(e.pair(), 0);
  }
  EXPECT_EQ(drops, 1);
}

TEST(QuicsimSeedRunnerTest, PhaseChangesTheLinkDelay) {
  // 10 ms each way until 100 ms, then 50 ms: a pair started at 200 ms
  // confirms after two round trips of 100 ms.
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(R"pb(
    network {
      client_to_server { delay: "10ms" }
      server_to_client { delay: "10ms" }
      phases {
        at: "100ms"
        link { delay: "50ms" }
      }
    }
    population { pairs: 2 start_spacing: "200ms" }
    seeds { count: 1 }
    expect { outcome: CONFIRMED }
  )pb");
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->pairs.size(), 2u);
  EXPECT_EQ(r->pairs[0].client.handshake_time, sim::Duration::Millis(40));
  EXPECT_EQ(r->pairs[1].client.handshake_time, sim::Duration::Millis(200));
}

TEST(QuicsimSeedRunnerTest, PhaseLiftsABlackhole) {
  // Both directions drop everything until the phase at 2.5 s replaces the
  // impairments with none: the handshake completes only after 2.5 s, on the
  // first probe after it (PTOs at about 1 s, 3 s, ...).
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(R"pb(
    network {
      client_to_server {
        delay: "10ms"
        impairments { blackholes { start: "0s" } }
      }
      server_to_client {
        delay: "10ms"
        impairments { blackholes { start: "0s" } }
      }
      phases {
        at: "2.5s"
        link { delay: "10ms" }
      }
    }
    population { pairs: 1 }
    seeds { count: 1 }
    expect { outcome: CONFIRMED }
  )pb");
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pairs[0].client.kind, VerdictKind::kConfirmed);
  EXPECT_GT(r->pairs[0].client.handshake_time, sim::Duration::Millis(2500));
  EXPECT_LT(r->pairs[0].client.handshake_time, sim::Duration::Seconds(10));
}

TEST(QuicsimSeedRunnerTest, ServerFaultClosesBothSidesWithItsCode) {
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(R"pb(
    network {
      client_to_server { delay: "10ms" }
      server_to_client { delay: "10ms" }
    }
    server { fault: ALPN_MISMATCH }
    population { pairs: 2 }
    seeds { count: 1 }
    expect { outcome: CLOSED error_codes: 0x178 }
  )pb");
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 3, {});
  ASSERT_TRUE(r.ok());
  for (const PairResult& p : r->pairs) {
    EXPECT_EQ(p.server.kind, VerdictKind::kClosedSent);
    EXPECT_EQ(p.server.error_code, 0x178u);
    EXPECT_EQ(p.client.kind, VerdictKind::kClosedReceived);
    EXPECT_EQ(p.client.error_code, 0x178u);
  }
}

TEST(QuicsimSeedRunnerTest, NgtcpServerConfirmsWithOurClient) {
  QuicsimSeedRunner runner;
  Scenario scenario = Parse(kLossy);
  scenario.mutable_server()->set_stack(EndpointConfig::NGTCP2);
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, {});
  ASSERT_TRUE(r.ok()) << r.status();
  // GnuTLS draws through the interposed gnutls_rnd: byte-level, and the
  // same seed gives the same wire digest.
  EXPECT_EQ(r->determinism, trace::BYTE_LEVEL);
  absl::StatusOr<SeedResult> again = runner.RunSeed(scenario, 1, {});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->wire_digest, r->wire_digest);
  EXPECT_EQ(again->events_digest, r->events_digest);
  for (const PairResult& p : r->pairs) {
    EXPECT_EQ(p.client.kind, VerdictKind::kConfirmed);
    EXPECT_EQ(p.server.kind, VerdictKind::kConfirmed);
    EXPECT_TRUE(p.violations.empty());
  }
}

TEST(QuicsimSeedRunnerTest, ServerWithoutAConnectionEndsThePairWithTheClient) {
  // The Retry reaches the client, then every datagram from the client is
  // lost: the client times out after its 5 s idle timeout, and the server,
  // whose Retry was stateless, never holds a connection. The pair ends with
  // the client, whichever stack the server runs: no no_stall violation.
  for (const EndpointConfig::Stack stack :
       {EndpointConfig::QUICSIM, EndpointConfig::NGTCP2}) {
    QuicsimSeedRunner runner;
    Scenario scenario = Parse(R"pb(
      network {
        client_to_server {
          delay: "10ms"
          impairments { blackholes { start: "15ms" } }
        }
        server_to_client { delay: "10ms" }
      }
      client { idle_timeout: "5s" }
      server { retry: true idle_timeout: "5s" }
      population { pairs: 1 }
      seeds { count: 1 }
      expect { outcome: CONFIRMED }
    )pb");
    scenario.mutable_server()->set_stack(stack);
    absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, {});
    ASSERT_TRUE(r.ok()) << r.status();
    const PairResult& p = r->pairs[0];
    EXPECT_EQ(p.client.kind, VerdictKind::kTimedOut) << stack;
    EXPECT_EQ(p.server.kind, VerdictKind::kNone) << stack;
    for (const OracleViolation& v : p.violations) {
      EXPECT_NE(v.oracle, "no_stall") << stack << ": " << v.detail;
    }
  }
}

TEST(QuicsimSeedRunnerTest, NgtcpOnBothSidesOrWithUnsupportedFaultIsAnError) {
  QuicsimSeedRunner runner;
  Scenario both = Parse(kLossy);
  both.mutable_client()->set_stack(EndpointConfig::NGTCP2);
  both.mutable_server()->set_stack(EndpointConfig::NGTCP2);
  EXPECT_EQ(runner.RunSeed(both, 1, {}).status().code(),
            absl::StatusCode::kUnimplemented);
  Scenario fault = Parse(kLossy);
  fault.mutable_server()->set_stack(EndpointConfig::NGTCP2);
  fault.mutable_server()->set_fault(SERVER_INTERNAL_ERROR);
  EXPECT_EQ(runner.RunSeed(fault, 1, {}).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(QuicsimSeedRunnerTest, SharedBottleneckNamesTwoLinks) {
  QuicsimSeedRunner runner;
  const Scenario scenario = Parse(R"pb(
    network {
      shared_bottleneck: true
      client_to_server {
        delay: "10ms"
        impairments { loss: 0.2 }
      }
      server_to_client {
        delay: "10ms"
        impairments { loss: 0.2 }
      }
    }
    population { pairs: 20 start_spacing: "1ms" }
    seeds { count: 1 }
    expect { outcome: CONFIRMED }
  )pb");
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 2, record);
  ASSERT_TRUE(r.ok());
  int decisions = 0;
  for (const trace::Event& e : r->trace->events()) {
    if (!e.has_decision()) continue;
    ++decisions;
    EXPECT_TRUE(e.decision().link() == "bottleneck/c2s" ||
                e.decision().link() == "bottleneck/s2c")
        << e.decision().link();
  }
  EXPECT_GT(decisions, 0);
  for (const PairResult& p : r->pairs) {
    EXPECT_EQ(p.client.kind, VerdictKind::kConfirmed);
  }
}

}  // namespace
}  // namespace quicsim::scenarios
