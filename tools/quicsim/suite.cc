#include "tools/quicsim/suite.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tools/quicsim/expectations.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/progress.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {
namespace {

bool SeedFailed(const SeedResult& result) {
  return FirstFailingPair(result) >= 0;
}

void AddDeterminismViolation(SeedResult* result, const std::string& detail) {
  if (result->pairs.empty()) result->pairs.emplace_back();
  result->pairs[0].violations.push_back(
      {std::string(kDeterminismOracle), detail});
}

}  // namespace

std::string TraceFileName(const scenarios::Scenario& scenario, uint64_t seed) {
  std::string name = scenario.name().empty() ? "scenario" : scenario.name();
  for (char& c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      c = '_';
    }
  }
  return absl::StrCat(name, "-seed", seed, ".trace");
}

absl::StatusOr<SuiteReport> RunSuite(SeedRunner& runner,
                                     const scenarios::Scenario& scenario,
                                     const SuiteOptions& options) {
  SuiteReport report;
  if (absl::Status s = TouchShardStatusFile(options.shard); !s.ok()) return s;
  if (!options.trace_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.trace_dir, error);
    if (error) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.trace_dir,
                       ": cannot create trace directory: ", error.message()));
    }
  }
  report.seeds_run =
      SeedsForShard(options.seed_base, options.seed_count, options.shard);
  Progress progress(options.progress, options.progress_tty,
                    report.seeds_run.size());
  const double cpu_start = ProcessCpuSeconds();
  uint64_t done = 0;
  for (uint64_t seed : report.seeds_run) {
    absl::StatusOr<SeedResult> result =
        RunJudgedSeed(runner, scenario, seed, RunSeedOptions{});
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("seed ", seed, ": ", result.status().message()));
    }
    if (options.check_determinism) {
      absl::StatusOr<SeedResult> again =
          RunJudgedSeed(runner, scenario, seed, RunSeedOptions{});
      if (!again.ok()) return again.status();
      // Wire bytes must repeat only where byte-level determinism holds
      // (an ngtcp2/GnuTLS side draws unseeded randomness).
      const bool byte_level = result->determinism == trace::BYTE_LEVEL;
      if (again->events_digest != result->events_digest) {
        AddDeterminismViolation(&*result,
                                absl::StrCat("seed ", seed, ": events digest ",
                                             result->events_digest, " then ",
                                             again->events_digest));
      } else if (byte_level && again->wire_digest != result->wire_digest) {
        AddDeterminismViolation(
            &*result,
            absl::StrCat("seed ", seed, ": wire digest ", result->wire_digest,
                         " then ", again->wire_digest));
      }
    }
    if (SeedFailed(*result)) {
      report.failing_seeds.push_back(seed);
      if (!options.trace_dir.empty()) {
        RunSeedOptions record;
        record.record_trace = true;
        absl::StatusOr<SeedResult> traced =
            RunJudgedSeed(runner, scenario, seed, record);
        if (!traced.ok()) return traced.status();
        trace::Trace& t = *traced->trace;
        t.set_scenario_path(options.scenario_path);
        if (traced->events_digest != result->events_digest) {
          // The recorded run is not the judged one: say so in the trace.
          if (t.verdicts_size() == 0) t.add_verdicts();
          trace::OracleViolation* pv = t.mutable_verdicts(0)->add_violations();
          pv->set_oracle(std::string(kDeterminismOracle));
          pv->set_detail(absl::StrCat(
              "the recorded run's events digest ", traced->events_digest,
              " differs from the judged run's ", result->events_digest));
        }
        if (t.pair_index() < 0) t.set_pair_index(FirstFailingPair(*result));
        const std::string path =
            absl::StrCat(options.trace_dir, "/", TraceFileName(scenario, seed));
        if (absl::Status s = WriteTraceFile(path, t); !s.ok()) return s;
        report.trace_files.push_back(path);
      }
    }
    report.summary.AddSeed(*result);
    progress.Update(++done, report.failing_seeds.size());
  }
  progress.Finish();
  report.summary.set_cpu_seconds(ProcessCpuSeconds() - cpu_start);
  return report;
}

}  // namespace quicsim::tools
