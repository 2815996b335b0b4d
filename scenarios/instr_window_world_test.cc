// The benchmarks' instrumentation window (sim/instr_window.h) leaves every
// run unchanged: same event and wire digests, same events, same end time,
// same verdicts, with and without a window anywhere in the run; and it
// counts exactly the handshakes that finished inside it.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/validate.h"
#include "scenarios/world.h"
#include "sim/instr_window.h"
#include "sim/time.h"

namespace quicsim::scenarios {
namespace {

using sim::Duration;
using sim::InstrWindow;
using sim::Time;

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario();
}

// The scale benchmark's shape (tools/bench_scale.py), smaller.
constexpr char kBottleneck[] = R"pb(
  name: "bottleneck"
  network {
    shared_bottleneck: true
    client_to_server { delay: "10ms" bandwidth_bps: 1000000000 }
    server_to_client { delay: "10ms" bandwidth_bps: 1000000000 }
  }
  population { pairs: 40 start_spacing: "1ms" }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

// Retransmissions, timers and closes.
constexpr char kLossy[] = R"pb(
  name: "lossy"
  network {
    client_to_server {
      delay: "10ms"
      impairments {
        loss: 0.3
        reorder { probability: 0.2 extra_delay: "5ms" }
      }
    }
    server_to_client {
      delay: "10ms"
      impairments {
        loss: 0.3
        duplicate { probability: 0.1 }
      }
    }
  }
  population { pairs: 12 start_spacing: "3ms" }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

void ExpectSameRun(const SeedResult& a, const SeedResult& b) {
  EXPECT_EQ(a.events_digest, b.events_digest);
  EXPECT_EQ(a.wire_digest, b.wire_digest);
  EXPECT_EQ(a.events_processed, b.events_processed);
  EXPECT_EQ(a.end_time, b.end_time);
  ASSERT_EQ(a.pairs.size(), b.pairs.size());
  for (size_t i = 0; i < a.pairs.size(); ++i) {
    EXPECT_EQ(a.pairs[i].client.kind, b.pairs[i].client.kind) << i;
    EXPECT_EQ(a.pairs[i].server.kind, b.pairs[i].server.kind) << i;
    EXPECT_EQ(a.pairs[i].client.handshake_time,
              b.pairs[i].client.handshake_time)
        << i;
    EXPECT_EQ(a.pairs[i].server.handshake_time,
              b.pairs[i].server.handshake_time)
        << i;
    EXPECT_EQ(a.pairs[i].violations.size(), b.pairs[i].violations.size());
  }
}

class InstrWindowWorldTest : public ::testing::Test {
 protected:
  void TearDown() override { sim::SetInstrWindow(std::nullopt); }
};

TEST_F(InstrWindowWorldTest, DigestsIdenticalWithAndWithoutAWindow) {
  for (const char* text : {kBottleneck, kLossy}) {
    const Scenario scenario = Parse(text);
    for (uint64_t seed : {1, 7}) {
      QuicsimSeedRunner runner;
      sim::SetInstrWindow(std::nullopt);
      absl::StatusOr<SeedResult> plain = runner.RunSeed(scenario, seed, {});
      ASSERT_TRUE(plain.ok()) << plain.status();
      const std::vector<std::pair<Time, Time>> windows = {
          {Time::Zero(), Time::Infinite()},
          {Ms(15), Ms(45)},
          {Ms(1), Ms(2)},
          {plain->end_time, Time::Infinite()},
          {plain->end_time + Duration::Seconds(1),
           plain->end_time + Duration::Seconds(2)},
      };
      for (const auto& [start, end] : windows) {
        sim::SetInstrWindow(InstrWindow{start, end});
        absl::StatusOr<SeedResult> windowed =
            runner.RunSeed(scenario, seed, {});
        ASSERT_TRUE(windowed.ok()) << windowed.status();
        SCOPED_TRACE(scenario.name() + " seed " + std::to_string(seed) +
                     " window " + start.ToString() + "," + end.ToString());
        ExpectSameRun(*plain, *windowed);
        EXPECT_EQ(sim::GetInstrWindowStats().opened, 1u);
      }
    }
  }
}

TEST_F(InstrWindowWorldTest, CountsHandshakesThatEndInsideTheWindow) {
  const Scenario scenario = Parse(kBottleneck);
  QuicsimSeedRunner runner;
  const std::vector<std::pair<Time, Time>> windows = {
      {Ms(40), Ms(60)}, {Time::Zero(), Time::Infinite()}, {Ms(0), Ms(30)}};
  for (const auto& [start, end] : windows) {
    sim::SetInstrWindow(InstrWindow{start, end});
    absl::StatusOr<SeedResult> r = runner.RunSeed(scenario, 1, {});
    ASSERT_TRUE(r.ok()) << r.status();
    // A clean pair is done when both sides are confirmed: at its start
    // plus the later of the two handshake times.
    uint64_t expected = 0;
    for (const PairResult& p : r->pairs) {
      ASSERT_EQ(p.client.kind, VerdictKind::kConfirmed);
      ASSERT_EQ(p.server.kind, VerdictKind::kConfirmed);
      const Time done =
          Time::Zero() + PairStartOffset(scenario, p.pair_index) +
          std::max(p.client.handshake_time, p.server.handshake_time);
      if (start <= done && done < end) ++expected;
    }
    EXPECT_EQ(sim::GetInstrWindowStats().handshakes_done, expected)
        << start << "," << end;
    if (end.IsInfinite()) {
      EXPECT_EQ(expected, r->pairs.size());
    }
  }
  // The first window is strictly inside the run: some, not all.
  sim::SetInstrWindow(InstrWindow{Ms(40), Ms(60)});
  ASSERT_TRUE(runner.RunSeed(scenario, 1, {}).ok());
  EXPECT_GT(sim::GetInstrWindowStats().handshakes_done, 0u);
  EXPECT_LT(sim::GetInstrWindowStats().handshakes_done, 40u);
}

}  // namespace
}  // namespace quicsim::scenarios
