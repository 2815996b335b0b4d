// Pairs run proposal #74922 by default: both sides pause at FirstFlightReady
// and send their first flight with SendFirstFlight(); errors the server
// raises while building its flight come back from that call and close at
// the Initial level; the client's abort fires at its pause. Judged on the
// traced events of whole simulated pairs.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "sim/trace.h"

namespace quicsim::scenarios {
namespace {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::VerdictKind;

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario();
}

// One pair, 10 ms each way; `extra` adds fields.
Scenario OnePair(const std::string& extra) {
  return Parse(R"pb(
                 network {
                   client_to_server { delay: "10ms" }
                   server_to_client { delay: "10ms" }
                 }
                 population { pairs: 1 }
                 seeds { count: 1 }
                 limits { max_virtual_time: "300s" }
                 expect { outcome: CONFIRMED }
               )pb" +
               extra);
}

// The traced events of `actor` ("pair/0/client"), as "kind details".
std::vector<std::string> EventsOf(const std::vector<sim::TraceEvent>& all,
                                  const std::string& actor) {
  std::vector<std::string> out;
  for (const sim::TraceEvent& e : all) {
    if (e.actor == actor) out.push_back(e.kind + " " + e.details);
  }
  return out;
}

int IndexOf(const std::vector<std::string>& events, const std::string& prefix) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (absl::StartsWith(events[i], prefix)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<sim::TraceEvent> RunPair(const Scenario& scenario,
                                     SeedResult* out) {
  QuicsimSeedRunner runner;
  std::vector<sim::TraceEvent> events;
  RunSeedOptions options;
  options.events = &events;
  absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, options);
  EXPECT_TRUE(r.ok()) << r.status();
  if (r.ok() && out != nullptr) *out = *r;
  return events;
}

constexpr char kFirstFlightReady[] = "tls_event kind=FirstFlightReady";

TEST(FirstFlightTest, DefaultPairPausesAndSendsOnBothSides) {
  SeedResult r;
  const std::vector<sim::TraceEvent> all = RunPair(OnePair(""), &r);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].client.kind, VerdictKind::kConfirmed);
  EXPECT_EQ(r.pairs[0].server.kind, VerdictKind::kConfirmed);
  for (const char* actor : {"pair/0/client", "pair/0/server"}) {
    const std::vector<std::string> events = EventsOf(all, actor);
    const int ready = IndexOf(events, kFirstFlightReady);
    ASSERT_GE(ready, 0) << actor;
    ASSERT_LT(ready + 1, static_cast<int>(events.size()));
    EXPECT_EQ(events[ready + 1], "send_first_flight result=ok") << actor;
    // Nothing of the first flight is written before the pause.
    const int first_write = IndexOf(events, "tls_event kind=WriteData");
    EXPECT_GT(first_write, ready) << actor;
  }
  // The server set its parameters before the pause.
  const std::vector<std::string> server = EventsOf(all, "pair/0/server");
  EXPECT_LT(IndexOf(server, "tls_event kind=TransportParametersRequired"),
            IndexOf(server, kFirstFlightReady));
}

TEST(FirstFlightTest, DisabledAndGoModelsDoNotPause) {
  for (const char* side :
       {"client { disable_send_first_flight: true } "
        "server { disable_send_first_flight: true }",
        "client { tls_api: GO_1_21 } server { tls_api: GO_1_21 }",
        "client { tls_api: GO_1_26 } server { tls_api: GO_1_26 }"}) {
    SeedResult r;
    const std::vector<sim::TraceEvent> all = RunPair(OnePair(side), &r);
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].client.kind, VerdictKind::kConfirmed) << side;
    EXPECT_EQ(r.pairs[0].server.kind, VerdictKind::kConfirmed) << side;
    for (const char* actor : {"pair/0/client", "pair/0/server"}) {
      EXPECT_EQ(IndexOf(EventsOf(all, actor), kFirstFlightReady), -1)
          << side << " " << actor;
    }
  }
}

TEST(FirstFlightTest, ResumingClientAnswersResumeSessionBeforeItsPause) {
  const std::vector<sim::TraceEvent> all =
      RunPair(OnePair("client { resumption { enabled: true zero_rtt: true } } "
                      "server { resumption { enabled: true zero_rtt: true } }"),
              nullptr);
  for (const char* actor : {"pair/0/client", "pair/0/server"}) {
    const std::vector<std::string> events = EventsOf(all, actor);
    const int resume = IndexOf(events, "resume_session early_data=allowed");
    const int ready = IndexOf(events, kFirstFlightReady);
    ASSERT_GE(resume, 0) << actor;
    EXPECT_LT(resume, ready) << actor;
  }
}

TEST(FirstFlightTest, ServerDeclinesZeroRttAtResumeSession) {
  SeedResult r;
  const std::vector<sim::TraceEvent> all =
      RunPair(OnePair("client { resumption { enabled: true zero_rtt: true } } "
                      "server { resumption { enabled: true zero_rtt: true } "
                      "decline_early_data: true }"),
              &r);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].client.kind, VerdictKind::kConfirmed);
  const std::vector<std::string> server = EventsOf(all, "pair/0/server");
  EXPECT_GE(IndexOf(server, "resume_session early_data=declined"), 0);
  const std::vector<std::string> client = EventsOf(all, "pair/0/client");
  EXPECT_GE(IndexOf(client, "tls_event kind=RejectedEarlyData"), 0);
  // The world's own check: a resumed handshake whose 0-RTT the server
  // turned down reports "did not accept 0-RTT".
  bool flagged = false;
  for (const auto& v : r.pairs[0].violations) {
    flagged |= absl::StrContains(v.detail, "did not accept 0-RTT");
  }
  EXPECT_TRUE(flagged);
}

// Every CONNECTION_CLOSE `actor` sent, as its packet type.
std::vector<std::string> CloseLevels(const std::vector<sim::TraceEvent>& all,
                                     const std::string& actor) {
  std::vector<std::string> out;
  for (const std::string& e : EventsOf(all, actor)) {
    if (!absl::StartsWith(e, "packet_sent ") ||
        !absl::StrContains(e, "connection_close=")) {
      continue;
    }
    const size_t type = e.find("type=");
    out.push_back(e.substr(type + 5, e.find(' ', type) - type - 5));
  }
  return out;
}

TEST(FirstFlightTest, ServerErrorsComeBackFromSendFirstFlightAtInitial) {
  const struct {
    const char* fault;
    uint64_t code;
  } kRows[] = {{"ALPN_MISMATCH", 0x178}, {"SERVER_INTERNAL_ERROR", 0x150}};
  for (const auto& row : kRows) {
    SeedResult r;
    const std::vector<sim::TraceEvent> all = RunPair(
        OnePair(std::string("server { fault: ") + row.fault + " }"), &r);
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].server.kind, VerdictKind::kClosedSent) << row.fault;
    EXPECT_EQ(r.pairs[0].server.error_code, row.code) << row.fault;
    EXPECT_EQ(r.pairs[0].client.kind, VerdictKind::kClosedReceived)
        << row.fault;
    EXPECT_EQ(r.pairs[0].client.error_code, row.code) << row.fault;
    const std::vector<std::string> server = EventsOf(all, "pair/0/server");
    const int ready = IndexOf(server, kFirstFlightReady);
    ASSERT_GE(ready, 0);
    char expected[64];
    snprintf(expected, sizeof(expected),
             "send_first_flight result=error code=0x%llx",
             static_cast<unsigned long long>(row.code));
    EXPECT_EQ(server[ready + 1], expected) << row.fault;
    // The client has Initial keys only: every close goes out at Initial.
    const std::vector<std::string> levels = CloseLevels(all, "pair/0/server");
    ASSERT_FALSE(levels.empty());
    for (const std::string& level : levels) {
      EXPECT_EQ(level, "Initial") << row.fault;
    }
  }
}

TEST(FirstFlightTest, ClientAbortFiresAtItsPauseAndSendsNothing) {
  Scenario scenario = OnePair("client { fault: ABORT_BEFORE_CLIENT_HELLO }");
  SeedResult r;
  const std::vector<sim::TraceEvent> all = RunPair(scenario, &r);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].client.kind, VerdictKind::kAborted);
  EXPECT_EQ(r.pairs[0].client.error_code, 0x150u);
  EXPECT_EQ(r.pairs[0].server.kind, VerdictKind::kNone);
  const std::vector<std::string> client = EventsOf(all, "pair/0/client");
  const int ready = IndexOf(client, kFirstFlightReady);
  ASSERT_GE(ready, 0);
  EXPECT_EQ(client[ready + 1], "send_first_flight result=error code=0x150");
  EXPECT_EQ(IndexOf(client, "packet_sent"), -1);
}

// Every error row under every TLS API model: the verdicts and the
// encryption levels of every CONNECTION_CLOSE the closing side sent: always
// one the peer can still read. A server failing inside its first flight has
// Initial keys only.
TEST(FirstFlightTest, EveryErrorRowClosesAtTheLevelsThePeerCanRead) {
  const struct {
    const char* side;  // the fault's side
    const char* fault;
    const char* closer;  // "server", "client" or "" (nobody sends a close)
    uint64_t code;
    std::vector<std::string> levels;
  } kRows[] = {
      {"server", "ALPN_MISMATCH", "server", 0x178, {"Initial"}},
      {"server", "REFUSE_TRANSPORT_PARAMETERS", "server", 0x08, {"Initial"}},
      {"server", "NO_CERTIFICATE_FOR_SNI", "server", 0x128, {"Initial"}},
      {"server", "SERVER_INTERNAL_ERROR", "server", 0x150, {"Initial"}},
      {"server", "SIGNING_FAILURE", "server", 0x150, {"Initial"}},
      // The client holds Handshake keys here, but its Initial close is
      // padded to fill the datagram (RFC 9000 §14.1), which leaves no room
      // for a Handshake copy; the server still reads Initial (it discards
      // its Initial keys only on the client's first Handshake packet).
      {"client", "UNTRUSTED_CERTIFICATE", "client", 0x12a, {"Initial"}},
      {"client", "BAD_SIGNATURE", "client", 0x133, {"Initial"}},
      {"server",
       "INVALID_SERVER_TRANSPORT_PARAMETERS",
       "client",
       0x08,
       {"Initial"}},
      {"client", "ABORT_BEFORE_CLIENT_HELLO", "", 0x150, {}},
  };
  for (const char* model : {"PROPOSAL_74922", "GO_1_21", "GO_1_26"}) {
    for (const auto& row : kRows) {
      const std::string name = std::string(model) + " " + row.fault;
      const std::string other =
          std::string(row.side) == "server" ? "client" : "server";
      Scenario scenario =
          OnePair(std::string(row.side) + " { tls_api: " + model + " fault: " +
                  row.fault + " } " + other + " { tls_api: " + model + " }");
      SeedResult r;
      const std::vector<sim::TraceEvent> all = RunPair(scenario, &r);
      ASSERT_EQ(r.pairs.size(), 1u) << name;
      const PairResult& p = r.pairs[0];
      const bool lost = std::string(model) == "GO_1_21" &&
                        (std::string(row.fault) == "SERVER_INTERNAL_ERROR" ||
                         std::string(row.fault) == "SIGNING_FAILURE");
      if (lost) {
        // Go 1.21-1.25: the error never leaves the server's engine.
        EXPECT_EQ(p.client.kind, VerdictKind::kTimedOut) << name;
        EXPECT_EQ(p.server.kind, VerdictKind::kTimedOut) << name;
        EXPECT_TRUE(CloseLevels(all, "pair/0/server").empty()) << name;
        bool flagged = false;
        for (const auto& v : p.violations) {
          flagged |= v.oracle == "error_propagation";
        }
        EXPECT_TRUE(flagged) << name;
        continue;
      }
      if (std::string(row.closer).empty()) {
        EXPECT_EQ(p.client.kind, VerdictKind::kAborted) << name;
        EXPECT_EQ(p.client.error_code, row.code) << name;
        EXPECT_TRUE(CloseLevels(all, "pair/0/client").empty()) << name;
        continue;
      }
      const bool server_closes = std::string(row.closer) == "server";
      const Verdict& closer = server_closes ? p.server : p.client;
      const Verdict& peer = server_closes ? p.client : p.server;
      EXPECT_EQ(closer.kind, VerdictKind::kClosedSent) << name;
      EXPECT_EQ(closer.error_code, row.code) << name;
      EXPECT_EQ(peer.kind, VerdictKind::kClosedReceived) << name;
      EXPECT_EQ(peer.error_code, row.code) << name;
      std::vector<std::string> levels =
          CloseLevels(all, std::string("pair/0/") + row.closer);
      ASSERT_FALSE(levels.empty()) << name;
      std::sort(levels.begin(), levels.end());
      levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
      std::vector<std::string> want = row.levels;
      std::sort(want.begin(), want.end());
      EXPECT_EQ(levels, want) << name;
      for (const auto& v : p.violations)
        ADD_FAILURE() << name << ": " << v.detail;
    }
  }
}

}  // namespace
}  // namespace quicsim::scenarios
