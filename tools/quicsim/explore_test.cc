#include "tools/quicsim/explore.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "sim/decision_hook.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/replay.h"
#include "tools/quicsim/swarm.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::RunSeedOptions;
using scenarios::SeedRunner;
namespace {

scenarios::Scenario Clean(bool tight_deadline) {
  absl::StatusOr<scenarios::Scenario> s = scenarios::ParseScenario(
      R"pb(
        name: "explore_clean"
        network {
          client_to_server { delay: "10ms" }
          server_to_client { delay: "10ms" }
        }
        population { pairs: 1 }
        seeds { count: 1 base: 7 }
        expect { outcome: CONFIRMED }
      )pb",
      "test");
  EXPECT_TRUE(s.ok()) << s.status();
  // A 100 ms bound: every fault that costs a PTO fails handshake_time, so
  // the search has failures to report.
  if (tight_deadline) s->mutable_expect()->set_max_handshake_time("100ms");
  return *s;
}

// Counts the datagrams each link carries in a run (independently of the
// explorer).
class Counter : public sim::DecisionHook {
 public:
  void OnDatagram(const std::string& link, uint64_t index, const sim::Datagram&,
                  std::vector<sim::Decision>*) override {
    ++per_link[link];
  }
  std::map<std::string, uint64_t> per_link;
};

TEST(ExploreTest, ZeroFaultsRunsOnlyTheCleanSchedule) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  ExhaustiveOptions options;
  options.max_faults = 0;
  absl::StatusOr<ExhaustiveReport> r =
      ExploreExhaustive(*runner, Clean(false), 7, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schedules, 1);
  EXPECT_TRUE(r->ok());
}

TEST(ExploreTest, OneFaultRunsEveryKindOnEverySentDatagram) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  Counter counter;
  RunSeedOptions o;
  o.scripted_decisions.emplace();
  o.decision_hook = &counter;
  ASSERT_TRUE(runner->RunSeed(Clean(false), 7, o).ok());
  for (int n : {1, 2, 8}) {
    uint64_t eligible = 0;
    for (const auto& [link, count] : counter.per_link) {
      eligible += std::min<uint64_t>(count, n);
    }
    ASSERT_GT(eligible, 0u);
    ExhaustiveOptions options;
    options.max_faults = 1;
    options.first_datagrams = n;
    absl::StatusOr<ExhaustiveReport> r =
        ExploreExhaustive(*runner, Clean(false), 7, options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->schedules, static_cast<int64_t>(1 + 4 * eligible))
        << "N=" << n;
    EXPECT_TRUE(r->ok()) << r->Render();
  }
}

TEST(ExploreTest, ForkAndRerunStrategiesAgreeScheduleForSchedule) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  ExhaustiveOptions options;
  options.max_faults = 2;
  options.first_datagrams = 3;
  options.prefix_sharing = true;
  absl::StatusOr<ExhaustiveReport> forked =
      ExploreExhaustive(*runner, Clean(true), 7, options);
  ASSERT_TRUE(forked.ok()) << forked.status();
  options.prefix_sharing = false;
  absl::StatusOr<ExhaustiveReport> rerun =
      ExploreExhaustive(*runner, Clean(true), 7, options);
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(forked->schedules, rerun->schedules);
  EXPECT_EQ(forked->outcomes, rerun->outcomes);
  auto keys = [](const ExhaustiveReport& r) {
    std::multiset<std::string> out;
    for (const ScheduleResult& s : r.failures) {
      std::string k;
      for (const trace::NetworkDecision& d : s.faults) k += FaultName(d) + ";";
      out.insert(k + s.signature);
    }
    return out;
  };
  EXPECT_EQ(keys(*forked), keys(*rerun));
  EXPECT_FALSE(forked->ok());
  // Only the re-run search measures the part no sharing can avoid, and it
  // is a part of the search's CPU.
  EXPECT_EQ(forked->suffix_cpu_seconds, 0);
  EXPECT_GT(rerun->suffix_cpu_seconds, 0);
  EXPECT_LE(rerun->suffix_cpu_seconds, rerun->cpu_seconds);
  // No schedule runs twice.
  const std::multiset<std::string> all = keys(*forked);
  EXPECT_EQ(all.size(), std::set<std::string>(all.begin(), all.end()).size());
}

TEST(ExploreTest, FailingTracesReplayByteForByteWithAtMostKDecisions) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  ExhaustiveOptions options;
  options.max_faults = 2;
  options.first_datagrams = 2;
  options.faults = {trace::NetworkDecision::DROP,
                    trace::NetworkDecision::REORDER,
                    trace::NetworkDecision::CORRUPT};
  options.trace_dir = ::testing::TempDir();
  absl::StatusOr<ExhaustiveReport> r =
      ExploreExhaustive(*runner, Clean(true), 7, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->failures.empty());
  EXPECT_EQ(r->not_reproduced, 0);
  ASSERT_EQ(r->trace_files.size(), r->failures.size());
  for (const std::string& path : r->trace_files) {
    absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_TRUE(t->scripted());
    EXPECT_GE(t->script_size(), 1);
    EXPECT_LE(t->script_size(), 2);
    int decisions = 0;
    for (const trace::Event& e : t->events()) decisions += e.has_decision();
    EXPECT_LE(decisions, 2) << path;
    absl::StatusOr<ReplayReport> replay = ReplayTrace(*runner, *t);
    ASSERT_TRUE(replay.ok()) << replay.status();
    EXPECT_TRUE(replay->byte_for_byte) << path << "\n" << replay->text;
  }
}

TEST(ExploreTest, BurstDropsConsecutiveDatagramsAsOneFaultAndReplays) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  ExhaustiveOptions options;
  options.max_faults = 1;
  options.first_datagrams = 2;
  options.faults.clear();  // bursts only
  options.burst = 3;
  options.trace_dir = ::testing::TempDir();
  absl::StatusOr<ExhaustiveReport> r =
      ExploreExhaustive(*runner, Clean(true), 7, options);
  ASSERT_TRUE(r.ok()) << r.status();
  // One burst per eligible datagram: 2 per link, plus the clean schedule.
  EXPECT_EQ(r->schedules, 1 + 2 * 2);
  ASSERT_FALSE(r->failures.empty());
  EXPECT_EQ(r->not_reproduced, 0);
  for (const ScheduleResult& f : r->failures) {
    ASSERT_EQ(f.faults.size(), 3u);
    for (size_t i = 0; i < f.faults.size(); ++i) {
      EXPECT_EQ(f.faults[i].action(), trace::NetworkDecision::DROP);
      EXPECT_EQ(f.faults[i].link(), f.faults[0].link());
      EXPECT_EQ(f.faults[i].index(), f.faults[0].index() + i);
    }
  }
  for (const std::string& path : r->trace_files) {
    absl::StatusOr<trace::Trace> t = ReadTraceFile(path);
    ASSERT_TRUE(t.ok()) << t.status();
    absl::StatusOr<ReplayReport> replay = ReplayTrace(*runner, *t);
    ASSERT_TRUE(replay.ok()) << replay.status();
    EXPECT_TRUE(replay->byte_for_byte) << path << "\n" << replay->text;
  }
}

// Per link, the index of the first datagram from another source than the
// link's first (the resumed handshake's endpoints use their own ports).
class SourceChange : public sim::DecisionHook {
 public:
  void OnDatagram(const std::string& link, uint64_t index,
                  const sim::Datagram& d,
                  std::vector<sim::Decision>*) override {
    auto [it, inserted] = first_src.emplace(link, d.src);
    if (!inserted && d.src != it->second && !change.count(link)) {
      change[link] = index;
    }
  }
  std::map<std::string, sim::Address> first_src;
  std::map<std::string, uint64_t> change;
};

TEST(ExploreTest, ResumptionFaultsStartAtTheResumedHandshake) {
  scenarios::Scenario s = Clean(false);
  for (scenarios::EndpointConfig* e :
       {s.mutable_client(), s.mutable_server()}) {
    e->mutable_resumption()->set_enabled(true);
    e->mutable_resumption()->set_zero_rtt(true);
  }
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  SourceChange change;
  RunSeedOptions o;
  o.scripted_decisions.emplace();
  o.decision_hook = &change;
  ASSERT_TRUE(runner->RunSeed(s, 7, o).ok());
  ASSERT_EQ(change.change.size(), 2u);
  ExhaustiveOptions options;
  options.max_faults = 1;
  options.first_datagrams = 1;
  options.faults = {trace::NetworkDecision::DROP};
  options.skip_priming = true;
  // A bound no dropped datagram can meet, so every schedule is reported.
  s.mutable_expect()->set_max_handshake_time("1ns");
  absl::StatusOr<ExhaustiveReport> r =
      ExploreExhaustive(*runner, s, 7, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schedules, 3);
  std::set<std::string> seen;
  for (const ScheduleResult& f : r->failures) {
    if (f.faults.empty()) continue;
    ASSERT_EQ(f.faults.size(), 1u);
    // Script indices are 1-based.
    EXPECT_EQ(f.faults[0].index(), change.change[f.faults[0].link()] + 1)
        << f.faults[0].link();
    seen.insert(f.faults[0].link());
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST(SwarmTest, ScenariosAreDeterministicAndVaried) {
  const scenarios::Scenario base = Clean(false);
  std::set<std::string> distinct;
  for (uint64_t run = 0; run < 40; ++run) {
    std::string knobs_a, knobs_b;
    const scenarios::Scenario a = SwarmScenario(base, 5, run, &knobs_a);
    const scenarios::Scenario b = SwarmScenario(base, 5, run, &knobs_b);
    EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
    EXPECT_EQ(knobs_a, knobs_b);
    EXPECT_TRUE(a.expect().max_handshake_time().empty());
    EXPECT_EQ(a.expect().oracles_size(), 0);  // every oracle
    distinct.insert(knobs_a);
  }
  EXPECT_GT(distinct.size(), 30u);
  std::string other;
  SwarmScenario(base, 6, 0, &other);
  std::string first;
  SwarmScenario(base, 5, 0, &first);
  EXPECT_NE(other, first);
}

TEST(SwarmTest, ShardsPartitionTheRunsAndResultsRepeat) {
  std::unique_ptr<SeedRunner> runner =
      std::make_unique<scenarios::QuicsimSeedRunner>();
  SwarmOptions options;
  options.seed = 3;
  options.max_runs = 30;
  options.budget_seconds = 0;
  absl::StatusOr<SwarmReport> all =
      ExploreSwarm(*runner, Clean(false), options);
  ASSERT_TRUE(all.ok()) << all.status();
  absl::StatusOr<SwarmReport> again =
      ExploreSwarm(*runner, Clean(false), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(all->outcomes, again->outcomes);
  EXPECT_EQ(all->runs + all->skipped, 30u);
  uint64_t sharded = 0;
  for (uint64_t i = 0; i < 3; ++i) {
    options.shard_index = i;
    options.shard_total = 3;
    absl::StatusOr<SwarmReport> shard =
        ExploreSwarm(*runner, Clean(false), options);
    ASSERT_TRUE(shard.ok());
    sharded += shard->runs + shard->skipped;
  }
  EXPECT_EQ(sharded, 30u);
}

}  // namespace
}  // namespace quicsim::tools
