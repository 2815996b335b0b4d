#include "tools/quicsim/explore_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gflags/gflags.h"
#include "scenarios/scenario_loader.h"
#include "tools/quicsim/explore.h"
#include "tools/quicsim/sharding.h"
#include "tools/quicsim/swarm.h"

DECLARE_string(scenario);
DECLARE_string(trace_dir);
DECLARE_bool(progress);
DECLARE_uint32(pairs);

DEFINE_string(mode, "exhaustive", "explore: exhaustive or swarm");
DEFINE_int32(max_faults, 2, "explore exhaustive: K, faults per schedule");
DEFINE_int32(first_datagrams, 8,
             "explore exhaustive: N, datagrams per link that may carry one");
DEFINE_string(faults, "drop,duplicate,reorder,corrupt",
              "explore exhaustive: fault kinds (drop, duplicate, reorder, "
              "corrupt, burst)");
DEFINE_int32(burst, 4,
             "explore exhaustive: datagrams a burst fault drops in a row");
DEFINE_uint64(seed, 0,
              "explore: the seed (exhaustive default: the scenario's first; "
              "swarm: the master seed)");
DEFINE_bool(prefix_sharing, false,
            "explore exhaustive: fork() at decision points so schedules "
            "share their run prefix (default: re-run each from the start, "
            "which is cheaper here; see tests/bench/explore)");
DEFINE_bool(keep_handshake_time, false,
            "explore: keep the scenario's max_handshake_time (by default "
            "it is dropped: a bound set for a clean network fails every "
            "fault that costs a PTO, as in the _lossy scenarios)");
DEFINE_bool(fault_priming, false,
            "explore exhaustive: with resumption, count the fault window "
            "from the priming handshake's first datagram (default: from "
            "the judged, resumed handshake's)");
DEFINE_string(reorder_fallback, "100ms",
              "explore exhaustive: longest a reordered datagram waits for "
              "the next one");

DEFINE_string(budget, "60s",
              "explore swarm: wall-clock budget (a duration, e.g. 60s)");
DEFINE_uint64(runs, 0, "explore swarm: stop after this many runs (0: none)");

namespace quicsim::tools {

using scenarios::SeedRunner;
namespace {

constexpr int kExitOk = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;

int BadInput(const std::string& message) {
  std::fprintf(stderr, "quicsim: %s\n", message.c_str());
  return kExitBadInput;
}

// Where traces go when --trace_dir is empty: the Bazel test's undeclared
// outputs, or nowhere.
std::string DefaultTraceDir() {
  const char* d = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  return d != nullptr ? d : "";
}

// This process's shard from Bazel's sharding variables, with the shard status
// file touched as Bazel asks.
absl::StatusOr<ShardSpec> ShardFromBazel() {
  absl::StatusOr<ShardSpec> shard = ShardSpecFromEnv(
      [](const char* name) -> const char* { return std::getenv(name); });
  if (!shard.ok()) return shard;
  if (absl::Status s = TouchShardStatusFile(*shard); !s.ok()) return s;
  return shard;
}

int Exhaustive(SeedRunner& runner, scenarios::Scenario scenario) {
  ExhaustiveOptions options;
  if (FLAGS_max_faults < 0 || FLAGS_max_faults > 8) {
    return BadInput("--max_faults must be in 0..8");
  }
  if (FLAGS_first_datagrams < 0 || FLAGS_first_datagrams > 1000) {
    return BadInput("--first_datagrams must be in 0..1000");
  }
  options.max_faults = FLAGS_max_faults;
  options.first_datagrams = FLAGS_first_datagrams;
  options.faults.clear();
  for (absl::string_view f : absl::StrSplit(FLAGS_faults, ',')) {
    if (f == "drop") {
      options.faults.push_back(trace::NetworkDecision::DROP);
    } else if (f == "duplicate") {
      options.faults.push_back(trace::NetworkDecision::DUPLICATE);
    } else if (f == "reorder") {
      options.faults.push_back(trace::NetworkDecision::REORDER);
    } else if (f == "corrupt") {
      options.faults.push_back(trace::NetworkDecision::CORRUPT);
    } else if (f == "burst") {
      if (FLAGS_burst < 2 || FLAGS_burst > 64) {
        return BadInput("--burst must be in 2..64");
      }
      options.burst = FLAGS_burst;
    } else {
      return BadInput(
          absl::StrCat("--faults: unknown fault \"", f,
                       "\" (drop, duplicate, reorder, corrupt, burst)"));
    }
  }
  absl::StatusOr<sim::Duration> fallback =
      scenarios::ParseScenarioDuration(FLAGS_reorder_fallback);
  if (!fallback.ok() || *fallback <= sim::Duration::Zero()) {
    return BadInput("--reorder_fallback must be a positive duration");
  }
  options.reorder_fallback = *fallback;
  options.prefix_sharing = FLAGS_prefix_sharing;
  options.skip_priming =
      scenario.client().resumption().enabled() && !FLAGS_fault_priming;
  options.trace_dir = FLAGS_trace_dir;
  if (options.trace_dir.empty()) options.trace_dir = DefaultTraceDir();
  absl::StatusOr<ShardSpec> shard = ShardFromBazel();
  if (!shard.ok()) return BadInput(std::string(shard.status().message()));
  options.shard_index = shard->index;
  options.shard_total = shard->total;
  options.scenario_path = FLAGS_scenario;
  if (FLAGS_progress && isatty(fileno(stderr))) options.progress = stderr;
  const uint64_t seed = gflags::GetCommandLineFlagInfoOrDie("seed").is_default
                            ? scenario.seeds().base()
                            : FLAGS_seed;
  absl::StatusOr<ExhaustiveReport> report =
      ExploreExhaustive(runner, scenario, seed, options);
  if (!report.ok()) return BadInput(std::string(report.status().message()));
  std::printf("scenario %s: exhaustive, seed %llu, pairs %u, K=%d, N=%d",
              scenario.name().c_str(), static_cast<unsigned long long>(seed),
              scenario.population().pairs(), options.max_faults,
              options.first_datagrams);
  if (shard->total > 1) {
    std::printf(", shard %llu of %llu",
                static_cast<unsigned long long>(shard->index),
                static_cast<unsigned long long>(shard->total));
  }
  std::printf("\n");
  std::printf("%s", report->Render().c_str());
  for (const std::string& path : report->trace_files) {
    std::printf("trace written: %s\n", path.c_str());
  }
  if (!report->ok() && report->trace_files.empty()) {
    std::printf("(pass --trace_dir=DIR to keep traces of failing schedules)\n");
  }
  return report->ok() ? kExitOk : kExitViolation;
}

int Swarm(SeedRunner& runner, const scenarios::Scenario& scenario) {
  SwarmOptions options;
  absl::StatusOr<sim::Duration> budget =
      scenarios::ParseScenarioDuration(FLAGS_budget);
  if (!budget.ok() || *budget < sim::Duration::Zero()) {
    return BadInput("--budget must be a non-negative duration (e.g. 60s)");
  }
  options.budget_seconds = budget->nanos() / 1e9;
  options.max_runs = FLAGS_runs;
  options.seed = FLAGS_seed;
  options.trace_dir = FLAGS_trace_dir;
  if (options.trace_dir.empty()) options.trace_dir = DefaultTraceDir();
  absl::StatusOr<ShardSpec> shard = ShardFromBazel();
  if (!shard.ok()) return BadInput(std::string(shard.status().message()));
  options.shard_index = shard->index;
  options.shard_total = shard->total;
  options.scenario_path = FLAGS_scenario;
  if (FLAGS_progress && isatty(fileno(stderr))) options.progress = stderr;
  absl::StatusOr<SwarmReport> report = ExploreSwarm(runner, scenario, options);
  if (!report.ok()) return BadInput(std::string(report.status().message()));
  std::printf("scenario %s: swarm, seed %llu", scenario.name().c_str(),
              static_cast<unsigned long long>(options.seed));
  if (shard->total > 1) {
    std::printf(", shard %llu of %llu",
                static_cast<unsigned long long>(shard->index),
                static_cast<unsigned long long>(shard->total));
  }
  std::printf("\n%s", report->Render().c_str());
  for (const SwarmFailure& f : report->failures) {
    if (!f.trace_file.empty()) {
      std::printf("trace written: %s\n", f.trace_file.c_str());
    }
  }
  return report->ok() ? kExitOk : kExitViolation;
}

}  // namespace

int ExploreCommand(std::unique_ptr<SeedRunner> runner) {
  if (FLAGS_scenario.empty()) return BadInput("explore needs --scenario=FILE");
  absl::StatusOr<scenarios::Scenario> scenario =
      scenarios::LoadScenarioFile(FLAGS_scenario);
  if (!scenario.ok()) return BadInput(std::string(scenario.status().message()));
  // One pair unless asked: pairs on their own links are independent, and
  // every extra pair multiplies the schedules.
  scenario->mutable_population()->set_pairs(FLAGS_pairs != 0 ? FLAGS_pairs : 1);
  // The pair count from the flag passes the same rules as the file's.
  if (absl::Status s = scenarios::ValidateScenario(
          *scenario, absl::StrCat(FLAGS_scenario, " with --pairs=",
                                  scenario->population().pairs()));
      !s.ok()) {
    return BadInput(std::string(s.message()));
  }
  if (!FLAGS_keep_handshake_time) {
    scenario->mutable_expect()->clear_max_handshake_time();
    for (scenarios::Variant& v :
         *scenario->mutable_population()->mutable_variants()) {
      if (v.has_expect()) v.mutable_expect()->clear_max_handshake_time();
    }
  }
  if (FLAGS_mode == "exhaustive") return Exhaustive(*runner, *scenario);
  if (FLAGS_mode == "swarm") return Swarm(*runner, *scenario);
  return BadInput(absl::StrCat("--mode: unknown mode \"", FLAGS_mode,
                               "\" (exhaustive, swarm)"));
}

}  // namespace quicsim::tools
