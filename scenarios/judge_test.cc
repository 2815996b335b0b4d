#include "scenarios/judge.h"

#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

TEST(JudgeTest, RunnerVerdictKeepsKindCodeAndTime) {
  using K = endpoints::Verdict::Kind;
  const std::pair<K, VerdictKind> kinds[] = {
      {K::kNone, VerdictKind::kNone},
      {K::kConfirmed, VerdictKind::kConfirmed},
      {K::kClosedSent, VerdictKind::kClosedSent},
      {K::kClosedReceived, VerdictKind::kClosedReceived},
      {K::kTimedOut, VerdictKind::kTimedOut},
      {K::kAborted, VerdictKind::kAborted},
  };
  for (const auto& [from, to] : kinds) {
    endpoints::Verdict v;
    v.kind = from;
    v.code = 0x178;
    v.elapsed = sim::Duration::Millis(42);
    const Verdict out = RunnerVerdict(v);
    EXPECT_EQ(out.kind, to);
    EXPECT_EQ(out.error_code, 0x178u);
    EXPECT_EQ(out.handshake_time, sim::Duration::Millis(42));
  }
}

TEST(JudgeTest, PairsThatNeverRanStallAndHaveNoVerdicts) {
  absl::StatusOr<Scenario> scenario = ParseScenario(
      "population { pairs: 2 } seeds { count: 1 } "
      "expect { outcome: CONFIRMED }",
      "test.textproto");
  ASSERT_TRUE(scenario.ok());
  WorldBuilder builder;
  absl::StatusOr<std::unique_ptr<World>> world =
      builder.Build(*scenario, 1, {});
  ASSERT_TRUE(world.ok()) << world.status();
  (*world)->scheduler.RunUntilIdle();
  const std::vector<PairSlot> slots(2);
  const std::vector<PairResult> results = JudgeWorld(**world, slots);
  ASSERT_EQ(results.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(results[i].pair_index, i);
    EXPECT_EQ(results[i].client.kind, VerdictKind::kNone);
    ASSERT_EQ(results[i].violations.size(), 1u);
    EXPECT_EQ(results[i].violations[0].oracle, "no_stall");
    EXPECT_EQ(results[i].violations[0].detail,
              "the run went idle before the pair finished");
  }
}

}  // namespace
}  // namespace quicsim::scenarios
