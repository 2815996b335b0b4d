// Loading and validating scenario files (scenarios/scenario.proto in
// protobuf text format).
//
// Every error is a single line naming the file and the place:
//   syntax errors:    "FILE:LINE:COL: message" (1-based line and column)
//   semantic errors:  "FILE: field.path: message"
// returned as absl::InvalidArgumentError so the CLI can print it and exit 2.
#ifndef QUICSIM_SCENARIOS_SCENARIO_LOADER_H_
#define QUICSIM_SCENARIOS_SCENARIO_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "scenarios/scenario.pb.h"
#include "sim/time.h"

namespace quicsim::scenarios {

// Reads, parses and validates the scenario at `path`.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path);

// Reads the regular file at `path` whole; refuses directories, devices,
// FIFOs and files over `max_bytes`, naming `what` ("scenario", "trace") in
// the one-line error.
absl::StatusOr<std::string> ReadInputFile(const std::string& path,
                                          absl::string_view what,
                                          uint64_t max_bytes);

// Parses protobuf text format `text` into `message` (syntax only, no
// semantic checks); the first error as "FILENAME:LINE:COL: message".
// `what` names the message in the error for text that parses to nothing
// valid ("scenario", "export scenario").
absl::Status ParseTextProto(absl::string_view text, absl::string_view filename,
                            absl::string_view what,
                            google::protobuf::Message* message);

// Parses and validates `text`; `filename` only labels error messages.
absl::StatusOr<Scenario> ParseScenario(absl::string_view text,
                                       absl::string_view filename);

// Checks the semantic rules the schema cannot express (durations parse,
// probabilities in [0, 1], counts positive, faults on a side that can
// inject them, ...). Returns the first violation.
absl::Status ValidateScenario(const Scenario& scenario,
                              absl::string_view filename);

// Parses a scenario duration string ("750ms"); empty means zero. Rejects
// negative and infinite durations.
absl::StatusOr<sim::Duration> ParseScenarioDuration(absl::string_view text);

// For fields the loader already validated: the parsed duration, or
// `fallback` when the field is empty.
sim::Duration DurationOr(absl::string_view text, sim::Duration fallback);

// The scenario each variant of a mixed population stands for: the base
// client and server with the variant's fields merged over them, and the
// variant's expectations when it has any. Without variants, one element:
// the scenario itself (without its population's variants).
std::vector<Scenario> ExpandVariants(const Scenario& scenario);

// Which element of ExpandVariants(scenario) pair `pair_index` runs.
int VariantOfPair(const Scenario& scenario, int pair_index);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_SCENARIO_LOADER_H_
