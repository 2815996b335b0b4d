// Golden event and wire digests: the list of (scenario file, seed) cases in
// tests/golden/digests.txt and the digests the real runner produces for them.
// The golden test compares; `bazel run //tests/golden:update` rewrites the
// file after a change that alters a digest on purpose.
#ifndef QUICSIM_TESTS_GOLDEN_GOLDEN_DIGESTS_H_
#define QUICSIM_TESTS_GOLDEN_GOLDEN_DIGESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace quicsim::golden {

// The command that regenerates the golden file; printed on every mismatch.
inline constexpr char kUpdateCommand[] = "bazel run //tests/golden:update";

// The golden file, relative to the workspace root (and to the runfiles root).
inline constexpr char kGoldenPath[] = "tests/golden/digests.txt";

// One pinned run: a scenario file (workspace-relative) and one seed.
struct GoldenCase {
  std::string scenario;
  uint64_t seed = 0;
  std::string events_digest;
  std::string wire_digest;
};

// Parses the golden file: '#' comments, blank lines, and lines
// "<scenario> <seed> <events digest> <wire digest>" ("-" for an empty wire
// digest). Errors name the line.
absl::StatusOr<std::vector<GoldenCase>> ParseGoldenFile(absl::string_view text);

// Renders cases in the format ParseGoldenFile reads, with the header comment.
std::string FormatGoldenFile(const std::vector<GoldenCase>& cases);

// Runs `scenario` (a file path, read relative to `root`) at `seed` with
// quicsim's own runner and returns the case with its digests filled (the wire
// digest stays empty unless the run is byte-level deterministic).
absl::StatusOr<GoldenCase> ComputeCase(const std::string& root,
                                       const std::string& scenario,
                                       uint64_t seed);

}  // namespace quicsim::golden

#endif  // QUICSIM_TESTS_GOLDEN_GOLDEN_DIGESTS_H_
