#include "tools/quicsim/summary.h"

#include <cstdio>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/quicsim/progress.h"

namespace quicsim::tools {

using scenarios::PairResult;
using scenarios::SeedResult;
using scenarios::VerdictKind;
namespace {

using ::testing::HasSubstr;

std::vector<sim::Duration> Millis(std::vector<int> ms) {
  std::vector<sim::Duration> out;
  for (int m : ms) out.push_back(sim::Duration::Millis(m));
  return out;
}

TEST(PercentileTest, NearestRankHandComputed) {
  // Sorted: 10 20 30 ... 100 (n = 10). p50: rank ceil(5) = 5 -> 50.
  // p90: rank 9 -> 90. p99: rank ceil(9.9) = 10 -> 100.
  const auto v = Millis({70, 10, 100, 40, 20, 90, 30, 60, 80, 50});
  EXPECT_EQ(NearestRankPercentile(v, 50), sim::Duration::Millis(50));
  EXPECT_EQ(NearestRankPercentile(v, 90), sim::Duration::Millis(90));
  EXPECT_EQ(NearestRankPercentile(v, 99), sim::Duration::Millis(100));
  EXPECT_EQ(NearestRankPercentile(v, 100), sim::Duration::Millis(100));
  // n = 3: p50 rank ceil(1.5) = 2.
  EXPECT_EQ(NearestRankPercentile(Millis({5, 1, 3}), 50),
            sim::Duration::Millis(3));
  EXPECT_EQ(NearestRankPercentile({}, 50), sim::Duration::Zero());
}

PairResult Confirmed(int client_ms, int server_ms) {
  PairResult p;
  p.client = {VerdictKind::kConfirmed, 0, sim::Duration::Millis(client_ms)};
  p.server = {VerdictKind::kConfirmed, 0, sim::Duration::Millis(server_ms)};
  return p;
}

PairResult Closed(uint64_t code, bool violated) {
  PairResult p;
  p.client = {VerdictKind::kClosedReceived, code, sim::Duration::Millis(5)};
  p.server = {VerdictKind::kClosedSent, code, sim::Duration::Millis(4)};
  if (violated) {
    p.violations.push_back({"expected_outcome", "x"});
    p.violations.push_back({"expected_outcome", "y"});  // counted once
    p.violations.push_back({"verdicts_agree", "z"});
  }
  return p;
}

TEST(SummaryTest, CountsAndPercentiles) {
  Summary s;
  SeedResult a;
  // Handshake time of a pair is the later side: 30, 10, 20.
  a.pairs = {Confirmed(30, 25), Confirmed(5, 10), Closed(0x178, false)};
  SeedResult b;
  b.pairs = {Confirmed(20, 20), Closed(0x178, true), Closed(0x150, true)};
  s.AddSeed(a);
  s.AddSeed(b);
  s.set_cpu_seconds(0.5);
  EXPECT_EQ(s.seeds(), 2);
  EXPECT_EQ(s.pairs(), 6);
  EXPECT_EQ(s.confirmed(), 3);
  EXPECT_EQ(s.failing_pairs(), 2);
  EXPECT_EQ(s.error_codes().at(0x178), 2);
  EXPECT_EQ(s.error_codes().at(0x150), 1);
  EXPECT_EQ(s.violations().at("expected_outcome"), 2);
  EXPECT_EQ(s.violations().at("verdicts_agree"), 2);
  // Times {10, 20, 30}: p50 rank 2 -> 20, p90 rank 3 -> 30.
  EXPECT_EQ(s.HandshakeTimePercentile(50), sim::Duration::Millis(20));
  EXPECT_EQ(s.HandshakeTimePercentile(90), sim::Duration::Millis(30));
  EXPECT_DOUBLE_EQ(s.HandshakesPerCpuSecond(), 12.0);
  const std::string text = s.Render();
  EXPECT_THAT(text, HasSubstr("closed 0x178"));
  EXPECT_THAT(text, HasSubstr("VIOLATED verdicts_agree"));
  EXPECT_THAT(text, HasSubstr("p50 20ms"));
  EXPECT_THAT(text, HasSubstr("FAIL (2 pairs)"));
}

std::string Captured(bool tty, int total, const std::vector<int>& updates) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  {
    Progress p(f, tty, total);
    for (int u : updates) p.Update(u, 1);
    p.Finish();
  }
  std::fclose(f);
  std::string out(buf, len);
  free(buf);
  return out;
}

TEST(ProgressTest, PlainLinesEveryTenPercent) {
  std::vector<int> all;
  for (int i = 1; i <= 20; ++i) all.push_back(i);
  const std::string out = Captured(false, 20, all);
  // Steps 0..10 of 10%: 1/20 is 5% (step 0), then 10%, 20%, ..., 100%.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 11);
  EXPECT_THAT(out, HasSubstr("progress: 20/20 seeds (100%), 1 failing\n"));
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(ProgressTest, TerminalRedrawsOneLine) {
  const std::string out = Captured(true, 4, {1, 2, 3, 4});
  EXPECT_EQ(std::count(out.begin(), out.end(), '\r'), 4);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_THAT(out, HasSubstr("[##############################] 100% 4/4"));
}

}  // namespace
}  // namespace quicsim::tools
