// The exporters' named test scenarios, kept as data: each is a file
// tools/export/testdata/NAME.textproto holding a quicsim.trace.Trace in text
// format with only what a run needs: the scenario, the seed and, for a
// scripted network (corruption, duplication, reordering, drops at fixed
// datagram indices), `scripted: true` and the `script` of decisions. It runs
// through the real runner exactly as `quicsim export` runs a trace: a
// QuicsimSeedRunner with a capture, the keylog and the events attached,
// judged by the scenario's expectations. Used by the tshark and exporter
// tests and the demo binary (testonly).
#ifndef QUICSIM_TOOLS_EXPORT_SCENARIO_H_
#define QUICSIM_TOOLS_EXPORT_SCENARIO_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scenarios/runner/seed_result.h"
#include "scenarios/runner/trace.pb.h"
#include "sim/capture.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// What a scenario run produced.
struct ScenarioResult {
  sim::Capture capture;
  std::vector<sim::TraceEvent> events;
  std::vector<std::string> keylog;  // SSLKEYLOGFILE lines, as logged
  // The runner's result, judged: one entry per pair ("pair/N") with its
  // verdicts and oracle violations.
  scenarios::SeedResult result;
};

// Parses and validates an export scenario's text (`filename` labels
// errors). Every error is one line: "FILE:LINE:COL: message" for syntax,
// "FILE: field.path: message" otherwise (the trace input rules of
// tools/quicsim/trace_validate.h, plus: no recorded events or verdicts,
// script indices count from 1 and name a link the scenario has).
absl::StatusOr<trace::Trace> ParseExportScenario(absl::string_view text,
                                                 absl::string_view filename);

// Reads the file at `path` (regular files only, size-limited) and parses it.
absl::StatusOr<trace::Trace> LoadExportScenario(const std::string& path);

// Runs `scenario`'s seed (and script) through the real runner.
absl::StatusOr<std::unique_ptr<ScenarioResult>> RunExportScenario(
    const trace::Trace& scenario);

// The directory of the named scenarios, relative to the workspace root (a
// test's or `bazel run`'s working directory).
inline constexpr absl::string_view kScenarioDir = "tools/export/testdata";

// The file of scenario `name`: kScenarioDir/NAME.textproto.
std::string ScenarioPath(absl::string_view name);

// Loads and runs scenario `name`: "clean", "lossy", "retry", "zero_rtt",
// "alpn_mismatch", "impaired" (see each file's comment).
absl::StatusOr<std::unique_ptr<ScenarioResult>> RunScenario(
    absl::string_view name);

// The names of the files in kScenarioDir, sorted.
std::vector<std::string> ScenarioNames();

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_SCENARIO_H_
