#include "tools/quicsim/suite.h"

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "scenarios/oracles/expectations.h"
#include "scenarios/validate.h"
#include "tools/export/file_io.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/junit.h"
#include "tools/quicsim/progress.h"
#include "tools/quicsim/seed_filter.h"
#include "tools/quicsim/trace_io.h"

namespace quicsim::tools {

using scenarios::oracles::kDeterminismOracle;

using scenarios::RunSeedOptions;
using scenarios::SeedResult;
using scenarios::SeedRunner;
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

namespace {

// Creates `dir` (if set); returns why it could not be created, or "".
std::string CreateTraceDir(const std::string& dir) {
  if (dir.empty()) return "";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error) return "";
  return absl::StrCat("cannot create trace directory ", dir, ": ",
                      error.message());
}

// Runs `seed` again and adds a determinism violation to `result` if a digest
// differs.
absl::Status CheckDeterminism(SeedRunner& runner,
                              const scenarios::Scenario& scenario,
                              uint64_t seed, SeedResult* result) {
  absl::StatusOr<SeedResult> again =
      RunJudgedSeed(runner, scenario, seed, RunSeedOptions{});
  if (!again.ok()) return again.status();
  // Wire bytes must repeat only where byte-level determinism holds
  // (an ngtcp2/GnuTLS side draws unseeded randomness).
  const bool byte_level = result->determinism == trace::BYTE_LEVEL;
  if (again->events_digest != result->events_digest) {
    AddDeterminismViolation(
        result,
        absl::StrCat("seed ", seed, ": events digest ", result->events_digest,
                     " then ", again->events_digest));
  } else if (byte_level && again->wire_digest != result->wire_digest) {
    AddDeterminismViolation(
        result,
        absl::StrCat("seed ", seed, ": wire digest ", result->wire_digest,
                     " then ", again->wire_digest));
  }
  return absl::OkStatus();
}

// Runs failing `seed` again with its trace recorded and writes the trace to
// `path`; a write failure goes into `report`, not the status.
absl::Status WriteSeedTrace(SeedRunner& runner,
                            const scenarios::Scenario& scenario, uint64_t seed,
                            const std::string& scenario_path,
                            const std::string& path, const SeedResult& result,
                            SuiteReport* report, SeedRecord* seed_record) {
  RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<SeedResult> traced =
      RunJudgedSeed(runner, scenario, seed, record);
  if (!traced.ok()) return traced.status();
  trace::Trace& t = *traced->trace;
  t.set_scenario_path(scenario_path);
  if (traced->events_digest != result.events_digest) {
    // The recorded run is not the judged one: say so in the trace.
    if (t.verdicts_size() == 0) t.add_verdicts();
    trace::OracleViolation* pv = t.mutable_verdicts(0)->add_violations();
    pv->set_oracle(std::string(kDeterminismOracle));
    pv->set_detail(
        absl::StrCat("the recorded run's events digest ", traced->events_digest,
                     " differs from the judged run's ", result.events_digest));
  }
  if (t.pair_index() < 0) t.set_pair_index(FirstFailingPair(result));
  if (absl::Status s = WriteTraceFile(path, t); !s.ok()) {
    report->trace_errors.push_back(std::string(s.message()));
  } else {
    report->trace_files.push_back(path);
    seed_record->trace_file = path;
  }
  return absl::OkStatus();
}

// Counts failing `seed` in `report` and `seed_record`, and writes its trace
// if traces are asked for and the per-run limit allows.
absl::Status RecordFailingSeed(SeedRunner& runner,
                               const scenarios::Scenario& scenario,
                               const SuiteOptions& options, uint64_t seed,
                               const std::string& scenario_path,
                               const std::string& trace_dir_error,
                               const SeedResult& result, SuiteReport* report,
                               SeedRecord* seed_record) {
  ++report->failing_seed_count;
  if (report->failing_seeds.size() < kMaxListedFailingSeeds) {
    report->failing_seeds.push_back(seed);
  }
  seed_record->failed = true;
  if (options.keep_records) {
    seed_record->failure_line = SeedFailureLine(result);
    seed_record->failure_details = SeedFailureDetails(result);
  }
  const std::string path =
      absl::StrCat(options.trace_dir, "/", TraceFileName(scenario, seed));
  if (options.trace_dir.empty()) {
    // No traces asked for.
  } else if (report->trace_files.size() + report->trace_errors.size() >=
             kMaxTracesPerRun) {
    ++report->traces_skipped;
  } else if (!trace_dir_error.empty()) {
    report->trace_errors.push_back(absl::StrCat(path, ": ", trace_dir_error));
  } else {
    return WriteSeedTrace(runner, scenario, seed, scenario_path, path, result,
                          report, seed_record);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SuiteReport> RunSuite(SeedRunner& runner,
                                     const scenarios::Scenario& scenario,
                                     const SuiteOptions& options) {
  SuiteReport report;
  report.variants.emplace(scenario);
  if (absl::Status s = TouchShardStatusFile(options.shard); !s.ok()) return s;
  const std::string trace_dir_error = CreateTraceDir(options.trace_dir);
  // Recorded in every trace, so it must be valid UTF-8 to read back.
  const std::string scenario_path =
      scenarios::IsValidUtf8(options.scenario_path)
          ? options.scenario_path
          : absl::CHexEscape(options.scenario_path);
  // The seeds of this shard: an explicit list (bounded by its length), or
  // the range streamed, so any number of seeds starts at once in constant
  // memory.
  const ShardSpec& shard = options.shard;
  std::vector<uint64_t> listed;
  uint64_t shard_seeds = 0;
  if (options.seed_list.has_value()) {
    listed = SeedsForShardFromList(*options.seed_list, shard);
    shard_seeds = listed.size();
  } else if (shard.total != 0 && shard.index < options.seed_count) {
    shard_seeds = (options.seed_count - shard.index - 1) / shard.total + 1;
  }
  Progress progress(options.progress, options.progress_tty, shard_seeds);
  const double cpu_start = ProcessCpuSeconds();
  for (uint64_t k = 0; k < shard_seeds; ++k) {
    // Range: seed ordinal index + k * total, never past base + count - 1.
    const uint64_t seed =
        options.seed_list.has_value()
            ? listed[k]
            : options.seed_base + shard.index + k * shard.total;
    if (options.on_seed) options.on_seed(seed);
    ++report.seeds_run;
    const double seed_cpu_start = ProcessCpuSeconds();
    SeedRecord seed_record{seed};
    absl::StatusOr<SeedResult> result =
        RunJudgedSeed(runner, scenario, seed, RunSeedOptions{});
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("seed ", seed, ": ", result.status().message()));
    }
    if (options.check_determinism) {
      absl::Status s = CheckDeterminism(runner, scenario, seed, &*result);
      if (!s.ok()) return s;
    }
    if (SeedFailed(*result)) {
      absl::Status s =
          RecordFailingSeed(runner, scenario, options, seed, scenario_path,
                            trace_dir_error, *result, &report, &seed_record);
      if (!s.ok()) return s;
    }
    seed_record.cpu_seconds = ProcessCpuSeconds() - seed_cpu_start;
    if (options.keep_records) report.records.push_back(std::move(seed_record));
    report.summary.AddSeed(*result);
    report.variants->AddSeed(*result);
    progress.Update(k + 1, report.failing_seed_count);
  }
  progress.Finish();
  report.summary.set_cpu_seconds(ProcessCpuSeconds() - cpu_start);
  return report;
}

absl::Status WriteJUnitFromEnv(EnvLookup getenv,
                               const scenarios::Scenario& scenario,
                               const SuiteOptions& options,
                               const SuiteReport& report) {
  const char* path = getenv("XML_OUTPUT_FILE");
  if (path == nullptr || *path == '\0') return absl::OkStatus();
  const char* target = getenv("TEST_TARGET");
  const std::string suite = target != nullptr && *target != '\0'
                                ? std::string(target)
                                : scenario.name();
  std::vector<JUnitCase> cases;
  for (const SeedRecord& r : report.records) {
    JUnitCase c;
    c.name = absl::StrCat("seed_", r.seed);
    c.classname = suite;
    c.seconds = r.cpu_seconds;
    c.failed = r.failed;
    if (r.failed) {
      c.message = absl::StrCat("seed ", r.seed, ": ", r.failure_line);
      c.details = r.failure_details;
      if (!r.trace_file.empty()) {
        const std::string file =
            std::filesystem::path(r.trace_file).filename().string();
        const std::string where =
            UndeclaredOutputPath(getenv, options.shard, file);
        absl::StrAppend(&c.message, "; trace: ", where);
        absl::StrAppend(
            &c.details, "trace: ", where,
            " (in outputs.zip there unless --nozip_undeclared_test_outputs; "
            "written as ",
            r.trace_file,
            ")\nreplay: quicsim replay TRACE; look at it: quicsim export "
            "TRACE\nrerun this seed alone: bazel test ",
            target != nullptr ? target : "TARGET", " --test_filter=", r.seed,
            "\n");
      }
    }
    cases.push_back(std::move(c));
  }
  return exporter::WriteFileAtomically(path, BuildJUnitXml(suite, cases));
}

}  // namespace quicsim::tools
