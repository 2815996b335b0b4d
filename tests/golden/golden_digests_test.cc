// Pins the event and wire digests of the runs listed in
// tests/golden/digests.txt (clean, lossy, Retry, Version Negotiation, 0-RTT,
// every error row, ngtcp2 on each side, the 2,000-pair bottleneck):
// behaviour-preserving changes keep them identical. A change that alters one on
// purpose regenerates the file with `bazel run //tests/golden:update` and says
// why in its commit message.
#include "tests/golden/golden_digests.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace quicsim::golden {
namespace {

std::vector<GoldenCase> ReadGolden() {
  std::ifstream in(kGoldenPath);
  EXPECT_TRUE(in.good()) << "cannot read " << kGoldenPath;
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<GoldenCase>> cases = ParseGoldenFile(text.str());
  EXPECT_TRUE(cases.ok()) << cases.status();
  return cases.ok() ? *cases : std::vector<GoldenCase>();
}

TEST(GoldenDigestsTest, ParseAndFormatRoundTrip) {
  const std::vector<GoldenCase> cases = {
      {"scenarios/a.textproto", 3, "ab", "cd"},
      {"scenarios/b.textproto", 18446744073709551615u, "ef", ""}};
  absl::StatusOr<std::vector<GoldenCase>> parsed =
      ParseGoldenFile(FormatGoldenFile(cases));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].seed, 18446744073709551615u);
  EXPECT_EQ((*parsed)[1].wire_digest, "");
  EXPECT_EQ((*parsed)[0].wire_digest, "cd");
  EXPECT_FALSE(ParseGoldenFile("a 1 x\n").ok());
  EXPECT_FALSE(ParseGoldenFile("a one x y\n").ok());
}

TEST(GoldenDigestsTest, CoversTheRequiredRuns) {
  const std::vector<GoldenCase> cases = ReadGolden();
  EXPECT_GE(cases.size(), 20u);
  std::set<std::string> scenarios;
  for (const GoldenCase& c : cases) scenarios.insert(c.scenario);
  for (const char* required :
       {"scenarios/clean.textproto", "scenarios/handshakeloss.textproto",
        "scenarios/retry.textproto", "scenarios/version_negotiation.textproto",
        "scenarios/resumption_0rtt.textproto",
        "scenarios/ngtcp2_client_clean.textproto",
        "scenarios/ngtcp2_server_clean.textproto",
        "scenarios/shared_bottleneck.textproto"}) {
    EXPECT_EQ(scenarios.count(required), 1u) << required;
  }
}

TEST(GoldenDigestsTest, DigestsMatch) {
  const std::vector<GoldenCase> cases = ReadGolden();
  int mismatches = 0;
  for (const GoldenCase& want : cases) {
    absl::StatusOr<GoldenCase> got = ComputeCase(".", want.scenario, want.seed);
    ASSERT_TRUE(got.ok()) << want.scenario << " seed " << want.seed << ": "
                          << got.status();
    if (got->events_digest != want.events_digest ||
        got->wire_digest != want.wire_digest) {
      ++mismatches;
      ADD_FAILURE() << want.scenario << " seed " << want.seed << ":\n  events "
                    << want.events_digest << " -> " << got->events_digest
                    << "\n  wire   "
                    << (want.wire_digest.empty() ? "-" : want.wire_digest)
                    << " -> "
                    << (got->wire_digest.empty() ? "-" : got->wire_digest);
    }
  }
  if (mismatches > 0) {
    ADD_FAILURE() << mismatches << " golden digest(s) changed. If the change "
                  << "is intended, regenerate " << kGoldenPath << " with\n  "
                  << kUpdateCommand
                  << "\nand say in the commit message why the digests changed.";
  }
}

}  // namespace
}  // namespace quicsim::golden
