// The runner library against FakeSeedRunner: suites, traces, replay and
// shrinking.
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "tools/quicsim/fake_seed_runner.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/shrink.h"
#include "tools/quicsim/suite.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
namespace {

using ::testing::HasSubstr;

scenarios::Scenario Lossy(double loss) {
  absl::StatusOr<scenarios::Scenario> s = scenarios::ParseScenario(
      absl::StrCat(R"pb(
                     name: "lossy"
                     network { client_to_server { delay: "20ms"
                                                  impairments { loss:)pb",
                   loss, R"pb(}
                              }
          server_to_client { delay: "20ms" impairments { loss: )pb",
                   loss,
                   R"pb(}
                        }
        }
        population { pairs: 2 }
        seeds { count: 40 base: 1 }
        expect { outcome: CONFIRMED }
      )pb"),
      "lossy.textproto");
  QUICSIM_CHECK(s.ok());
  return *s;
}

std::string TmpDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

// A seed of Lossy(0.3) whose run fails (found by search, independent of the
// code under test's notion of which seeds fail).
trace::Trace FailingTrace(FakeSeedRunner& runner,
                          const scenarios::Scenario& scenario) {
  RunSeedOptions options;
  options.record_trace = true;
  for (uint64_t seed = 1; seed < 1000; ++seed) {
    absl::StatusOr<SeedResult> r =
        RunJudgedSeed(runner, scenario, seed, options);
    QUICSIM_CHECK(r.ok());
    if (FirstFailingPair(*r) >= 0) return *r->trace;
  }
  QUICSIM_CHECK(false);
  return {};
}

TEST(SuiteTest, FailingSeedsGetTraces) {
  FakeSeedRunner runner;
  const scenarios::Scenario scenario = Lossy(0.3);
  SuiteOptions options;
  options.seed_base = 1;
  options.seed_count = 40;
  options.trace_dir = TmpDir("suite_traces");
  absl::StatusOr<SuiteReport> report = RunSuite(runner, scenario, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->seeds_run, 40u);
  EXPECT_EQ(report->summary.pairs(), 80);
  // With loss 0.3 a pair fails when its first two client datagrams drop
  // (p = 0.09), so some of 80 pairs fail and most confirm.
  ASSERT_FALSE(report->ok());
  EXPECT_GT(report->summary.confirmed(), 50);
  ASSERT_EQ(report->trace_files.size(), report->failing_seeds.size());
  absl::StatusOr<trace::Trace> t = ReadTraceFile(report->trace_files[0]);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->seed(), report->failing_seeds[0]);
  EXPECT_GE(t->pair_index(), 0);
  EXPECT_EQ(t->build().runner(), "fake");
  EXPECT_EQ(t->scenario().name(), "lossy");
  EXPECT_FALSE(t->verdicts(t->pair_index()).violations().empty());
  EXPECT_EQ(report->trace_files[0],
            absl::StrCat(options.trace_dir, "/lossy-seed",
                         report->failing_seeds[0], ".trace"));
}

TEST(SuiteTest, CleanScenarioPasses) {
  FakeSeedRunner runner;
  SuiteOptions options;
  options.seed_count = 10;
  options.check_determinism = true;
  absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->summary.confirmed(), 20);
  EXPECT_EQ(runner.calls(), 20);  // Every seed twice.
}

TEST(SuiteTest, CheckDeterminismCatchesADifferingDigest) {
  FakeSeedRunner::Options fake;
  fake.nondeterministic = true;
  FakeSeedRunner runner(fake);
  SuiteOptions options;
  options.seed_count = 3;
  options.check_determinism = true;
  absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->failing_seeds.size(), 3u);
  EXPECT_EQ(report->summary.violations().at("determinism"), 3);
  // Without the check the same runner passes.
  options.check_determinism = false;
  report = RunSuite(runner, Lossy(0), options);
  EXPECT_TRUE(report->ok());
}

// --check_determinism compares what the configuration's class promises:
// wire bytes for a byte-level class, events only for an event-level one.
TEST(SuiteTest, CheckDeterminismComparesWireBytesOnlyAtByteLevel) {
  for (bool byte_level : {true, false}) {
    FakeSeedRunner::Options fake;
    fake.byte_level = byte_level;
    fake.nondeterministic_wire = true;
    FakeSeedRunner runner(fake);
    SuiteOptions options;
    options.seed_count = 3;
    options.check_determinism = true;
    absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
    ASSERT_TRUE(report.ok());
    if (byte_level) {
      EXPECT_EQ(report->summary.violations().at("determinism"), 3);
    } else {
      EXPECT_TRUE(report->ok());
    }
  }
}

// Replay holds a trace to its recorded class: a byte-level trace reproduces
// only with the same wire bytes and only by a run of the same class.
TEST(ReplayTest, ByteLevelTraceNeedsTheSameWireBytes) {
  FakeSeedRunner::Options fake;
  fake.byte_level = true;
  FakeSeedRunner runner(fake);
  trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  ASSERT_EQ(recorded.determinism(), trace::BYTE_LEVEL);
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->byte_for_byte) << report->text;
  EXPECT_THAT(report->text, HasSubstr("REPRODUCES byte for byte"));

  trace::Trace tampered = recorded;
  tampered.mutable_digests()->set_wire(std::string(64, '0'));
  report = ReplayTrace(runner, tampered);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
  EXPECT_THAT(report->text, HasSubstr("DIVERGES"));
  EXPECT_THAT(report->text, HasSubstr("wire digest"));

  // Replayed by a build that runs the configuration at event level only.
  FakeSeedRunner event_level;
  report = ReplayTrace(event_level, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced) << report->text;
}

TEST(ReplayTest, EventLevelTraceIsReproducedByItsEvents) {
  FakeSeedRunner runner;
  trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  ASSERT_EQ(recorded.determinism(), trace::EVENT_LEVEL);
  recorded.mutable_digests()->set_wire(std::string(64, '0'));
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->reproduced) << report->text;
  EXPECT_FALSE(report->byte_for_byte);
  EXPECT_THAT(report->text, HasSubstr("REPRODUCES event for event"));
}

TEST(SuiteTest, ShardsRunDisjointSeedsThatCoverAll) {
  FakeSeedRunner runner;
  std::vector<uint64_t> all;
  for (uint64_t index = 0; index < 3; ++index) {
    SuiteOptions options;
    options.seed_base = 5;
    options.seed_count = 10;
    options.shard = {index, 3, ""};
    options.on_seed = [&](uint64_t seed) { all.push_back(seed); };
    absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
    ASSERT_TRUE(report.ok());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<uint64_t>{5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
}

TEST(ReplayTest, ReproducesAfterAFileRoundTrip) {
  FakeSeedRunner runner;
  const trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  const std::string path = TmpDir("replay") + "/r.trace";
  ASSERT_TRUE(WriteTraceFile(path, recorded).ok());
  absl::StatusOr<trace::Trace> loaded = ReadTraceFile(path);
  ASSERT_TRUE(loaded.ok());
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, *loaded);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->reproduced) << report->text;
  EXPECT_EQ(report->first_divergence, -1);
  EXPECT_THAT(report->text, HasSubstr("REPRODUCES event for event"));
}

TEST(ReplayTest, TamperedEventIsTheFirstDivergence) {
  FakeSeedRunner runner;
  trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  ASSERT_GT(recorded.events_size(), 10);
  recorded.mutable_events(7)->set_details("tampered");
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
  EXPECT_EQ(report->first_divergence, 7);
  EXPECT_THAT(report->text, HasSubstr("DIVERGES at event #7"));
  EXPECT_THAT(report->text, HasSubstr("tampered"));
  // Three events of context before the divergence.
  EXPECT_THAT(report->text, HasSubstr("   #4  "));
  EXPECT_THAT(report->text, HasSubstr("   #6  "));
}

TEST(ReplayTest, TamperedSeedOrTruncatedEventsDiverge) {
  FakeSeedRunner runner;
  trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  trace::Trace shorter = recorded;
  shorter.mutable_events()->RemoveLast();
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, shorter);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
  EXPECT_EQ(report->first_divergence, shorter.events_size());
  EXPECT_THAT(report->text, HasSubstr("<end of trace>"));

  recorded.set_seed(recorded.seed() + 1);
  report = ReplayTrace(runner, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
}

// FakeSeedRunner with a chosen determinism level and wire digest.
class WireRunner : public SeedRunner {
 public:
  WireRunner(trace::DeterminismLevel level, std::string wire)
      : level_(level), wire_(std::move(wire)) {}
  absl::StatusOr<SeedResult> RunSeed(const scenarios::Scenario& scenario,
                                     uint64_t seed,
                                     const RunSeedOptions& options) override {
    absl::StatusOr<SeedResult> r = fake_.RunSeed(scenario, seed, options);
    if (r.ok()) {
      r->determinism = level_;
      r->wire_digest = wire_;
    }
    return r;
  }
  trace::BuildIdentity Identity() const override { return fake_.Identity(); }

 private:
  FakeSeedRunner fake_;
  trace::DeterminismLevel level_;
  std::string wire_;
};

TEST(ReplayTest, ByteLevelTraceWhoseWireDiffersDiverges) {
  WireRunner recorder(trace::BYTE_LEVEL, "aaaa");
  const trace::Trace recorded = [&] {
    RunSeedOptions options;
    options.record_trace = true;
    for (uint64_t seed = 1;; ++seed) {
      absl::StatusOr<SeedResult> r =
          RunJudgedSeed(recorder, Lossy(0.3), seed, options);
      QUICSIM_CHECK(r.ok());
      if (FirstFailingPair(*r) >= 0) return *r->trace;
    }
  }();
  ASSERT_EQ(recorded.determinism(), trace::BYTE_LEVEL);
  ASSERT_EQ(recorded.digests().wire(), "aaaa");
  // Same bytes: byte for byte.
  absl::StatusOr<ReplayReport> same = ReplayTrace(recorder, recorded);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->reproduced);
  EXPECT_THAT(same->text, HasSubstr("REPRODUCES byte for byte"));
  // Same events, other bytes: a divergence, not "event for event".
  WireRunner other(trace::BYTE_LEVEL, "bbbb");
  absl::StatusOr<ReplayReport> report = ReplayTrace(other, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
  EXPECT_THAT(report->text, HasSubstr("DIVERGES: same events but the wire "
                                      "digest is bbbb, recorded aaaa"));
  EXPECT_THAT(report->text, testing::Not(HasSubstr("REPRODUCES")));
  // A replay that only reaches event level diverges too.
  WireRunner event_level(trace::EVENT_LEVEL, "aaaa");
  report = ReplayTrace(event_level, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->reproduced);
}

TEST(ReplayTest, EventLevelTraceReproducesEventForEventOnly) {
  WireRunner recorder(trace::EVENT_LEVEL, "aaaa");
  RunSeedOptions options;
  options.record_trace = true;
  trace::Trace recorded;
  for (uint64_t seed = 1;; ++seed) {
    absl::StatusOr<SeedResult> r =
        RunJudgedSeed(recorder, Lossy(0.3), seed, options);
    ASSERT_TRUE(r.ok());
    if (FirstFailingPair(*r) >= 0) {
      recorded = *r->trace;
      break;
    }
  }
  WireRunner other(trace::BYTE_LEVEL, "bbbb");
  absl::StatusOr<ReplayReport> report = ReplayTrace(other, recorded);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->reproduced) << report->text;
  EXPECT_FALSE(report->byte_for_byte);
  EXPECT_THAT(report->text, HasSubstr("REPRODUCES event for event"));
}

TEST(ReplayTest, RefusesATraceWhoseEmbeddedScenarioIsInvalid) {
  FakeSeedRunner runner;
  trace::Trace recorded = FailingTrace(runner, Lossy(0.3));
  recorded.mutable_scenario()->mutable_expect()->add_oracles(
      static_cast<scenarios::Expectations::Oracle>(99));
  const int calls = runner.calls();
  absl::StatusOr<ReplayReport> report = ReplayTrace(runner, recorded);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(),
              HasSubstr("embedded scenario: expect.oracles[0]: 99 is not"));
  EXPECT_EQ(runner.calls(), calls);  // nothing ran
  absl::StatusOr<ShrinkReport> shrunk = ShrinkTrace(runner, recorded, 10);
  ASSERT_FALSE(shrunk.ok());
  EXPECT_EQ(runner.calls(), calls);
}

// Fails the run at its third seed; counts the seeds started.
class ThirdSeedFails : public SeedRunner {
 public:
  absl::StatusOr<SeedResult> RunSeed(const scenarios::Scenario& scenario,
                                     uint64_t seed,
                                     const RunSeedOptions& options) override {
    if (++calls_ == 3) return absl::InternalError("stop");
    return fake_.RunSeed(scenario, seed, options);
  }
  trace::BuildIdentity Identity() const override { return fake_.Identity(); }
  int calls() const { return calls_; }

 private:
  FakeSeedRunner fake_;
  int calls_ = 0;
};

TEST(SuiteTest, ABillionSeedsStartAtOnceInConstantMemory) {
  // Listing 10^9 seeds first would take 8 GB before the first seed ran.
  ThirdSeedFails runner;
  SuiteOptions options;
  options.seed_base = 0;
  options.seed_count = 1000000000;
  absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), "seed 2: stop");
  EXPECT_EQ(runner.calls(), 3);
}

TEST(SuiteTest, TheLastSeedMayBeTheLargestUint64) {
  FakeSeedRunner runner;
  SuiteOptions options;
  options.seed_base = UINT64_MAX;
  options.seed_count = 1;
  std::vector<uint64_t> seeds;
  options.on_seed = [&](uint64_t seed) { seeds.push_back(seed); };
  absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(seeds, std::vector<uint64_t>{UINT64_MAX});
}

TEST(SuiteTest, AnUnwritableTraceDirectoryDoesNotStopTheRun) {
  FakeSeedRunner runner;
  SuiteOptions options;
  options.seed_base = 1;
  options.seed_count = 40;
  const std::string file = TmpDir("blocker") + "/file";
  ASSERT_TRUE(WriteFileAtomically(file, "x").ok());
  options.trace_dir = file + "/traces";  // below a regular file
  absl::StatusOr<SuiteReport> report = RunSuite(runner, Lossy(0.3), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->seeds_run, 40u);
  EXPECT_EQ(report->summary.pairs(), 80);
  ASSERT_GT(report->failing_seed_count, 0u);
  EXPECT_EQ(report->failing_seeds.size(), report->failing_seed_count);
  EXPECT_TRUE(report->trace_files.empty());
  ASSERT_EQ(report->trace_errors.size(), report->failing_seed_count);
  EXPECT_THAT(report->trace_errors[0],
              HasSubstr(absl::StrCat(options.trace_dir, "/lossy-seed",
                                     report->failing_seeds[0], ".trace")));
  EXPECT_THAT(report->trace_errors[0], HasSubstr("cannot create trace "
                                                 "directory"));
}

TEST(DeltaDebugTest, FindsTheTwoNeededElements) {
  int tests = 0;
  bool exhausted = false;
  const std::vector<size_t> minimal = DeltaDebug(
      50,
      [&](const std::vector<size_t>& s) {
        ++tests;
        return std::count(s.begin(), s.end(), 3) &&
               std::count(s.begin(), s.end(), 41);
      },
      1000, &exhausted);
  EXPECT_EQ(minimal, (std::vector<size_t>{3, 41}));
  EXPECT_FALSE(exhausted);
  EXPECT_LT(tests, 100);
}

TEST(DeltaDebugTest, BudgetStopsTheSearch) {
  bool exhausted = false;
  const std::vector<size_t> minimal = DeltaDebug(
      50, [](const std::vector<size_t>& s) { return s.size() >= 2; }, 3,
      &exhausted);
  EXPECT_TRUE(exhausted);
  EXPECT_GE(minimal.size(), 2u);
}

TEST(ShrinkTest, KeepsTheFailureAndReducesToTheTwoTriggers) {
  // Every datagram is dropped (50 decisions); the pair breaks only because
  // of c2s #7 and s2c #13.
  FakeSeedRunner::Options fake;
  fake.datagrams_per_link = 25;
  fake.trigger = {{"c2s", 7}, {"s2c", 13}};
  FakeSeedRunner runner(fake);
  scenarios::Scenario scenario = Lossy(1.0);
  scenario.mutable_population()->set_pairs(1);
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> failing =
      RunJudgedSeed(runner, scenario, 9, record);
  ASSERT_TRUE(failing.ok());
  ASSERT_EQ(failing->trace->pair_index(), 0);
  absl::StatusOr<ShrinkReport> report =
      ShrinkTrace(runner, *failing->trace, 500);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->original_decisions, 50u);
  EXPECT_EQ(report->minimal_decisions, 2u);
  EXPECT_FALSE(report->budget_exhausted);
  const trace::Trace& minimal = report->minimal;
  EXPECT_TRUE(minimal.scripted());
  ASSERT_EQ(minimal.script_size(), 2);
  EXPECT_EQ(minimal.script(0).link(), "pair/0/c2s");
  EXPECT_EQ(minimal.script(0).index(), 7u);
  EXPECT_EQ(minimal.script(1).link(), "pair/0/s2c");
  EXPECT_EQ(minimal.script(1).index(), 13u);
  // Same failure signature as the original.
  EXPECT_EQ(FailureSignature(minimal.verdicts(0)),
            FailureSignature(failing->trace->verdicts(0)));
  EXPECT_EQ(report->signature,
            "expected_outcome,verdicts_agree client=CLOSED_SENT/0x1 "
            "server=TIMED_OUT/0x0");
  // The minimal trace replays (with its script) and shrinks no further.
  absl::StatusOr<ReplayReport> replay = ReplayTrace(runner, minimal);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->reproduced) << replay->text;
  absl::StatusOr<ShrinkReport> again = ShrinkTrace(runner, minimal, 500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->minimal_decisions, 2u);
}

TEST(ShrinkTest, RefusesAPassingTrace) {
  FakeSeedRunner runner;
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> passing =
      RunJudgedSeed(runner, Lossy(0), 1, record);
  ASSERT_TRUE(passing.ok());
  absl::StatusOr<ShrinkReport> report =
      ShrinkTrace(runner, *passing->trace, 100);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("no failing pair"));
}

}  // namespace
}  // namespace quicsim::tools
