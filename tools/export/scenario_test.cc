// The named export scenarios: each file loads, runs through the real runner
// and passes its own expectations, and shows what its comment promises
// (drops both ways, the scripted fates at their indices, a Retry, a 0-RTT
// resumption). Malformed files give one-line errors naming file and place.
#include "tools/export/scenario.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/capture.h"

namespace quicsim::exporter {
namespace {

// The datagram `index` (1-based, as in the script) of `link`.
const sim::CapturedDatagram* Find(const sim::Capture& capture,
                                  const std::string& link, uint64_t index) {
  for (const sim::CapturedDatagram& d : capture.datagrams()) {
    if (d.link == link && d.index + 1 == index) return &d;
  }
  return nullptr;
}

int CountEvents(const ScenarioResult& r, absl::string_view actor,
                absl::string_view kind, absl::string_view details) {
  int n = 0;
  for (const sim::TraceEvent& e : r.events) {
    n += e.actor == actor && e.kind == kind &&
         absl::StrContains(e.details, details);
  }
  return n;
}

TEST(ExportScenarioTest, TheNamedScenariosAreTheFiles) {
  EXPECT_EQ(ScenarioNames(),
            (std::vector<std::string>{"alpn_mismatch", "clean", "impaired",
                                      "lossy", "retry", "zero_rtt"}));
}

TEST(ExportScenarioTest, EveryScenarioPassesItsExpectations) {
  for (const std::string& name : ScenarioNames()) {
    SCOPED_TRACE(name);
    auto r = RunScenario(name);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ((*r)->result.pairs.size(), 1u);
    for (const auto& v : (*r)->result.pairs[0].violations) {
      ADD_FAILURE() << v.oracle << ": " << v.detail;
    }
    EXPECT_FALSE((*r)->capture.datagrams().empty());
    EXPECT_FALSE((*r)->events.empty());
    // Secrets exist once the server has answered (not in alpn_mismatch,
    // which fails on the ClientHello).
    EXPECT_EQ((*r)->keylog.empty(), name == "alpn_mismatch");
  }
}

TEST(ExportScenarioTest, LossyLosesDatagramsBothWays) {
  auto r = RunScenario("lossy");
  ASSERT_TRUE(r.ok()) << r.status();
  int dropped[2] = {0, 0};
  for (const sim::CapturedDatagram& d : (*r)->capture.datagrams()) {
    if (!d.dropped) continue;
    EXPECT_EQ(d.drop_reason, "bernoulli");
    ++dropped[d.link == "pair/0/c2s" ? 0 : 1];
  }
  EXPECT_GT(dropped[0], 0);
  EXPECT_GT(dropped[1], 0);
}

// Position of the first event of `actor` of `kind` whose details start
// with `details`, or -1.
int EventAt(const ScenarioResult& r, absl::string_view actor,
            absl::string_view kind, absl::string_view details) {
  for (size_t i = 0; i < r.events.size(); ++i) {
    const sim::TraceEvent& e = r.events[i];
    if (e.actor == actor && e.kind == kind &&
        absl::StartsWith(e.details, details)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

TEST(ExportScenarioTest, ImpairedAppliesTheScriptAtItsIndices) {
  auto r = RunScenario("impaired");
  ASSERT_TRUE(r.ok()) << r.status();
  const sim::Capture& c = (*r)->capture;
  // s2c #1 arrives twice; the client drops the second copy.
  const sim::CapturedDatagram* duplicated = Find(c, "pair/0/s2c", 1);
  ASSERT_NE(duplicated, nullptr);
  EXPECT_EQ(duplicated->copies, 1u);
  EXPECT_EQ(duplicated->deliveries.size(), 2u);
  EXPECT_EQ(
      CountEvents(**r, "pair/0/client", "packet_dropped", "reason=duplicate"),
      1);
  // c2s #2 never arrives.
  const sim::CapturedDatagram* dropped = Find(c, "pair/0/c2s", 2);
  ASSERT_NE(dropped, nullptr);
  EXPECT_TRUE(dropped->dropped);
  EXPECT_TRUE(dropped->deliveries.empty());
  // c2s #3 is overtaken by #4.
  const sim::CapturedDatagram* held = Find(c, "pair/0/c2s", 3);
  ASSERT_NE(held, nullptr);
  EXPECT_TRUE(held->reordered);
  const int held_at = EventAt(**r, "pair/0/c2s", "deliver", "index=2 ");
  const int next_at = EventAt(**r, "pair/0/c2s", "deliver", "index=3 ");
  ASSERT_GE(held_at, 0);
  ASSERT_GE(next_at, 0);
  EXPECT_LT(next_at, held_at);
  // c2s #4 arrives with exactly bit 3 of byte 40 flipped, and fails
  // authentication at the server.
  const sim::CapturedDatagram* corrupted = Find(c, "pair/0/c2s", 4);
  ASSERT_NE(corrupted, nullptr);
  EXPECT_TRUE(corrupted->corrupted);
  ASSERT_GT(corrupted->payload.size(), 40u);
  ASSERT_EQ(corrupted->corrupted_payload.size(), corrupted->payload.size());
  for (size_t i = 0; i < corrupted->payload.size(); ++i) {
    EXPECT_EQ(corrupted->payload[i] ^ corrupted->corrupted_payload[i],
              i == 40 ? 1 << 3 : 0)
        << i;
  }
  EXPECT_EQ(CountEvents(**r, "pair/0/server", "packet_dropped",
                        "reason=decryption_failed"),
            1);
  // Nothing else was impaired: the script replaces the seed's draws.
  int impaired = 0;
  for (const sim::CapturedDatagram& d : c.datagrams()) {
    impaired += d.corrupted + d.reordered + (d.copies > 0) + d.dropped;
  }
  EXPECT_EQ(impaired, 4);
}

TEST(ExportScenarioTest, RetryAndZeroRtt) {
  auto retry = RunScenario("retry");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(CountEvents(**retry, "pair/0/server", "packet_sent", "Retry"), 1);
  auto zero_rtt = RunScenario("zero_rtt");
  ASSERT_TRUE(zero_rtt.ok()) << zero_rtt.status();
  // The priming handshake ran first, without 0-RTT; the judged one sent
  // 0-RTT packets.
  EXPECT_EQ(
      CountEvents(**zero_rtt, "pair/0/prime/client", "packet_sent", "0-RTT"),
      0);
  EXPECT_GT(CountEvents(**zero_rtt, "pair/0/prime/client", "packet_sent", ""),
            0);
  EXPECT_GT(CountEvents(**zero_rtt, "pair/0/client", "packet_sent", "0-RTT"),
            0);
}

constexpr char kGood[] = R"(
scenario {
  name: "x"
  network {
    client_to_server { delay: "10ms" }
    server_to_client { delay: "10ms" }
  }
  population { pairs: 2 }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
}
seed: 3
scripted: true
script { link: "pair/1/s2c" index: 1 action: DROP }
)";

TEST(ExportScenarioTest, ParsesAGoodFile) {
  absl::StatusOr<trace::Trace> t = ParseExportScenario(kGood, "good");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->seed(), 3u);
  EXPECT_EQ(t->script_size(), 1);
}

TEST(ExportScenarioTest, MalformedFilesGiveOneLineErrors) {
  const std::string good = kGood;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return text;
    return text.replace(at, from.size(), to);
  };
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      // Syntax: file, 1-based line and column.
      {with("seed: 3", "seed: -3"), "bad.textproto:12:7: "},
      {with("seed: 3", "sed: 3"), "bad.textproto:12:"},
      {with("action: DROP", "action: EXPLODE"), "bad.textproto:14:"},
      {good + "script {", "bad.textproto:15:"},
      // The embedded scenario, by field path.
      {with("delay: \"10ms\" }\n    server",
            "delay: \"10ms\" impairments { loss: 2 } }\n    server"),
       "bad.textproto: embedded scenario: "
       "network.client_to_server.impairments.loss: "},
      {with("scripted: true\n", ""),
       "bad.textproto: script: present but the trace is not scripted"},
      {with("index: 1", "index: 0"),
       "bad.textproto: script[0].index: datagrams count from 1"},
      {with("pair/1/s2c", "pair/2/s2c"), "bad.textproto: script[0].link: "},
      {with("pair/1/s2c", "pair/01/s2c"), "bad.textproto: script[0].link: "},
      {with("pair/1/s2c", "bottleneck/s2c"), "bad.textproto: script[0].link: "},
      {with("pair/1/s2c", "pair/1/x2y"), "bad.textproto: script[0].link: "},
      {good + "events { kind: \"send\" }\n", "bad.textproto: events: "},
      {good + "verdicts { pair: 0 }\n", "bad.textproto: verdicts: "},
      {"", "bad.textproto: scenario: missing"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<trace::Trace> t =
        ParseExportScenario(c.text, "bad.textproto");
    ASSERT_FALSE(t.ok()) << c.text;
    const std::string message(t.status().message());
    EXPECT_TRUE(absl::StartsWith(message, c.error))
        << message << "\nwanted " << c.error;
    EXPECT_FALSE(absl::StrContains(message, "\n")) << message;
  }
}

TEST(ExportScenarioTest, MissingFileNamesIt) {
  absl::StatusOr<trace::Trace> t = LoadExportScenario("no/such.textproto");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(absl::StartsWith(t.status().message(), "no/such.textproto: "))
      << t.status();
  auto r = RunScenario("no_such_scenario");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(),
                                "tools/export/testdata/no_such_scenario"))
      << r.status();
}

}  // namespace
}  // namespace quicsim::exporter
