// The round-trip guarantee: every trace `quicsim run` can write reads back
// and replays. For every scenario in the tree (the default suite, the
// examples, the CLI test's fake scenarios and a UTF-8-heavy one) a few
// seeds are run with trace recording, by the real endpoints and by the
// fake runner; each trace is written with WriteTraceFile, read back,
// compared field for field, validated and replayed.
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "tools/quicsim/fake_seed_runner.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/trace_io.h"
#include "tools/quicsim/trace_validate.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

std::vector<std::string> TextprotosIn(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (absl::EndsWith(name, ".textproto")) out.push_back(dir + "/" + name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> AllScenarios() {
  std::vector<std::string> all;
  for (const char* dir : {"scenarios", "scenarios/examples",
                          "tools/quicsim/testdata", "tests/roundtrip"}) {
    for (const std::string& f : TextprotosIn(dir)) {
      if (!absl::StrContains(f, "bad_syntax")) all.push_back(f);
    }
  }
  return all;
}

std::string TmpPath(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", name);
}

// Runs `seeds` seeds of `path` (at most 3 pairs) on `runner`, round-trips
// each trace through a file and replays it. Returns the traces checked.
int RoundTrip(SeedRunner& runner, const std::string& path, int seeds) {
  absl::StatusOr<scenarios::Scenario> s = scenarios::LoadScenarioFile(path);
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return 0;
  s->mutable_population()->set_pairs(
      std::min<uint32_t>(s->population().pairs(), 3));
  int checked = 0;
  for (int k = 0; k < seeds; ++k) {
    const uint64_t seed = s->seeds().base() + k;
    RunSeedOptions options;
    options.record_trace = true;
    absl::StatusOr<SeedResult> r = RunJudgedSeed(runner, *s, seed, options);
    EXPECT_TRUE(r.ok()) << path << ": " << r.status();
    if (!r.ok() || !r->trace.has_value()) continue;
    trace::Trace t = *r->trace;
    t.set_scenario_path(path);
    const std::string file = TmpPath("roundtrip.trace");
    absl::Status w = WriteTraceFile(file, t);
    EXPECT_TRUE(w.ok()) << path << " seed " << seed << ": " << w;
    if (!w.ok()) continue;
    absl::StatusOr<trace::Trace> back = ReadValidTraceFile(file);
    EXPECT_TRUE(back.ok()) << path << " seed " << seed << ": " << back.status();
    if (!back.ok()) continue;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(t, *back))
        << path << " seed " << seed;
    absl::StatusOr<ReplayReport> replay = ReplayTrace(runner, *back);
    EXPECT_TRUE(replay.ok()) << path << ": " << replay.status();
    if (replay.ok()) {
      EXPECT_TRUE(replay->reproduced) << path << " seed " << seed << ":\n"
                                      << replay->text;
    }
    ++checked;
  }
  return checked;
}

TEST(TraceRoundTripTest, EveryScenarioWithTheRealEndpoints) {
  const std::vector<std::string> files = AllScenarios();
  ASSERT_GE(files.size(), 40u);
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  int checked = 0;
  for (const std::string& f : files) checked += RoundTrip(*runner, f, 2);
  EXPECT_EQ(checked, 2 * static_cast<int>(files.size()));
}

TEST(TraceRoundTripTest, EveryScenarioWithTheFakeRunner) {
  FakeSeedRunner runner;
  int checked = 0;
  const std::vector<std::string> files = AllScenarios();
  for (const std::string& f : files) checked += RoundTrip(runner, f, 3);
  EXPECT_EQ(checked, 3 * static_cast<int>(files.size()));
}

TEST(TraceRoundTripTest, ATraceThatWouldNotReadBackIsNotWritten) {
  trace::Trace t;
  t.set_scenario_path("bad\xff");  // not UTF-8: the payload would not parse
  const std::string file = TmpPath("unreadable.trace");
  absl::Status s = WriteTraceFile(file, t);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::StrContains(s.message(), "would not read back")) << s;
  EXPECT_FALSE(ReadTraceFile(file).ok());  // nothing was written
}

}  // namespace
}  // namespace quicsim::tools
