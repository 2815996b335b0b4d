#include "tests/golden/golden_digests.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"

namespace quicsim::golden {

absl::StatusOr<std::vector<GoldenCase>> ParseGoldenFile(
    absl::string_view text) {
  std::vector<GoldenCase> cases;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    GoldenCase c;
    if (fields.size() != 4 || !absl::SimpleAtoi(fields[1], &c.seed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kGoldenPath, ":", line_number,
                       ": want \"<scenario> <seed> <events digest> <wire "
                       "digest>\""));
    }
    c.scenario = std::string(fields[0]);
    c.events_digest = std::string(fields[2]);
    c.wire_digest = fields[3] == "-" ? "" : std::string(fields[3]);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string FormatGoldenFile(const std::vector<GoldenCase>& cases) {
  std::string out = absl::StrCat(
      "# Golden event and wire digests of quicsim's own runner: one line per\n"
      "# (scenario, seed). Pinned by //tests/golden:golden_digests_test.\n"
      "# A change that alters a digest on purpose regenerates this file with\n"
      "#   ",
      kUpdateCommand,
      "\n"
      "# and says in its commit message why the digest changed. To pin "
      "another\n"
      "# run, add a line with placeholder digests (x x) and regenerate.\n"
      "# <scenario> <seed> <events digest> <wire digest, or - when the run is\n"
      "# only event-level deterministic (an ngtcp2 side)>\n");
  for (const GoldenCase& c : cases) {
    absl::StrAppend(&out, c.scenario, " ", c.seed, " ", c.events_digest, " ",
                    c.wire_digest.empty() ? "-" : c.wire_digest, "\n");
  }
  return out;
}

absl::StatusOr<GoldenCase> ComputeCase(const std::string& root,
                                       const std::string& scenario,
                                       uint64_t seed) {
  absl::StatusOr<scenarios::Scenario> loaded =
      scenarios::LoadScenarioFile(absl::StrCat(root, "/", scenario));
  if (!loaded.ok()) return loaded.status();
  // One runner per case: TLS contexts (and their verdict caches) start
  // fresh, as in a `quicsim run` of this one seed.
  scenarios::QuicsimSeedRunner runner;
  absl::StatusOr<scenarios::SeedResult> result =
      runner.RunSeed(*loaded, seed, {});
  if (!result.ok()) return result.status();
  GoldenCase c;
  c.scenario = scenario;
  c.seed = seed;
  c.events_digest = result->events_digest;
  // Only a byte-level run reproduces its wire bytes (an ngtcp2 side draws
  // GnuTLS randomness of its own): pin the wire digest only then.
  if (result->determinism == trace::BYTE_LEVEL) {
    c.wire_digest = result->wire_digest;
  }
  return c;
}

}  // namespace quicsim::golden
