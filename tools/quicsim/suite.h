// `quicsim run`: every seed of this shard, judged, summarised; a trace per
// failing seed; optionally every seed twice to check determinism.
#ifndef QUICSIM_TOOLS_QUICSIM_SUITE_H_
#define QUICSIM_TOOLS_QUICSIM_SUITE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/scenario.pb.h"
#include "tools/quicsim/sharding.h"
#include "tools/quicsim/summary.h"
#include "tools/quicsim/variant_table.h"

namespace quicsim::tools {

// What to run and where to report.
struct SuiteOptions {
  // Recorded in traces.
  std::string scenario_path;
  uint64_t seed_base = 0;
  uint64_t seed_count = 1;
  // When set (--test_filter), exactly these seeds instead of the range
  // seed_base .. seed_base + seed_count - 1.
  std::optional<std::vector<uint64_t>> seed_list;
  ShardSpec shard;
  // Where failing traces go; empty: none written.
  std::string trace_dir;
  // Run every seed twice and compare digests.
  bool check_determinism = false;
  // Progress output (null: none) and whether it is a terminal.
  std::FILE* progress = nullptr;
  bool progress_tty = false;
  // Keep a SeedRecord per seed (for JUnit XML; memory grows with seeds).
  bool keep_records = false;
  // Called with each seed before it runs (tests watch sharding with it).
  std::function<void(uint64_t)> on_seed;
};

// At most this many failing seeds are listed in a report (all are counted);
// at most this many traces are written per run. Both keep a run of any
// length in bounded memory and disk.
inline constexpr size_t kMaxListedFailingSeeds = 100000;
inline constexpr size_t kMaxTracesPerRun = 1000;

// What became of one seed (for JUnit XML).
struct SeedRecord {
  uint64_t seed = 0;
  bool failed = false;
  // SeedFailureLine / SeedFailureDetails (junit.h); empty when it passed.
  std::string failure_line;
  std::string failure_details;
  // Its trace, when one was written.
  std::string trace_file;
  double cpu_seconds = 0;
};

// The outcome of a suite run.
struct SuiteReport {
  Summary summary;
  // Per-variant outcomes (empty without variants); set by RunSuite.
  std::optional<VariantTable> variants;
  // How many seeds this shard ran (seeds are streamed, never listed).
  uint64_t seeds_run = 0;
  // Seeds with at least one violation: how many, and the first
  // kMaxListedFailingSeeds of them.
  uint64_t failing_seed_count = 0;
  std::vector<uint64_t> failing_seeds;
  // Trace files written.
  std::vector<std::string> trace_files;
  // Traces that could not be written, one line each ("PATH: reason"); the
  // run goes on without them.
  std::vector<std::string> trace_errors;
  // Failing seeds left without a trace because kMaxTracesPerRun was reached.
  uint64_t traces_skipped = 0;
  // One per seed run, in order (with SuiteOptions::keep_records).
  std::vector<SeedRecord> records;

  bool ok() const { return failing_seed_count == 0; }
};

// Runs the suite. Errors are setup problems (a seed the runner cannot run),
// not failing pairs; a trace that cannot be written (or an unwritable trace
// directory) is reported in trace_errors and the run continues.
absl::StatusOr<SuiteReport> RunSuite(scenarios::SeedRunner& runner,
                                     const scenarios::Scenario& scenario,
                                     const SuiteOptions& options);

// With XML_OUTPUT_FILE set (under `bazel test`), writes the report there as
// JUnit XML (junit.h): one test case per seed, named seed_<n>; the suite is
// TEST_TARGET, else the scenario's name. Does nothing when unset.
absl::Status WriteJUnitFromEnv(EnvLookup getenv,
                               const scenarios::Scenario& scenario,
                               const SuiteOptions& options,
                               const SuiteReport& report);

// The file name of the trace of `seed`: "<scenario name>-seed<seed>.trace",
// the name reduced to [A-Za-z0-9_.-].
std::string TraceFileName(const scenarios::Scenario& scenario, uint64_t seed);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_SUITE_H_
