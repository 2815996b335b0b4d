// Scenario-text fuzz target: the input is a scenario file's contents. It goes
// through the loader the CLI uses (parse + validate); a rejection must be
// the one-line exit-2 message naming the file, and an accepted scenario is
// capped (input_contract.h: a few pairs, a small event budget) and run
// through the CLI's suite runner for one seed on the real endpoints. That
// run must end in a report or a one-line rejection, never a crash, a
// sanitizer report or unbounded memory (-rss_limit_mb). One input in sixteen
// also checks that the seed repeats with the same events digest, and that
// its trace encodes and decodes again (what `run` writes, `replay` reads).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/input_contract.h"
#include "tools/quicsim/judged_run.h"
#include "tools/quicsim/suite.h"
#include "tools/quicsim/trace_io.h"

namespace {

constexpr absl::string_view kFileName = "fuzz.textproto";

// One runner per process, renewed now and then: it caches TLS contexts per
// distinct endpoint configuration, which a fuzzer would grow without bound.
quicsim::scenarios::SeedRunner& Runner() {
  static std::unique_ptr<quicsim::scenarios::QuicsimSeedRunner> runner;
  static int uses = 0;
  if (runner == nullptr || ++uses % 64 == 0) {
    runner = std::make_unique<quicsim::scenarios::QuicsimSeedRunner>();
  }
  return *runner;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tools = quicsim::tools;
  quicsim::fuzz::SilenceProtobufLogs();
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<quicsim::scenarios::Scenario> scenario =
      quicsim::scenarios::ParseScenario(text, kFileName);
  if (!scenario.ok()) {
    quicsim::fuzz::CheckRejection(scenario.status(), kFileName);
    return 0;
  }
  const uint32_t hash = quicsim::fuzz::InputHash(data, size);
  quicsim::fuzz::CapScenario(hash, &*scenario);

  tools::SuiteOptions options;
  options.scenario_path = std::string(kFileName);
  options.seed_base = scenario->seeds().base();
  options.seed_count = 1;
  absl::StatusOr<tools::SuiteReport> report =
      tools::RunSuite(Runner(), *scenario, options);
  if (!report.ok()) {
    // The CLI prints this as its exit-2 line.
    quicsim::fuzz::CheckRejection(report.status(), "");
    return 0;
  }
  FUZZ_CHECK(report->seeds_run == 1);

  if (hash / 4 % 16 != 0) return 0;
  quicsim::scenarios::RunSeedOptions record;
  record.record_trace = true;
  absl::StatusOr<quicsim::scenarios::SeedResult> first =
      tools::RunJudgedSeed(Runner(), *scenario, options.seed_base,
                           quicsim::scenarios::RunSeedOptions{});
  absl::StatusOr<quicsim::scenarios::SeedResult> traced =
      tools::RunJudgedSeed(Runner(), *scenario, options.seed_base, record);
  FUZZ_CHECK(first.ok() && traced.ok());
  FUZZ_CHECK(first->events_digest == traced->events_digest);
  FUZZ_CHECK(traced->trace.has_value());
  absl::StatusOr<quicsim::trace::Trace> decoded =
      tools::DecodeTrace(tools::EncodeTrace(*traced->trace), "fuzz.trace");
  if (!decoded.ok()) {
    std::fprintf(stderr, "a trace run wrote does not read back: %s\n",
                 decoded.status().ToString().c_str());
    FUZZ_CHECK(decoded.ok());
  }
  return 0;
}
