// Regenerates tests/golden/digests.txt in the source tree: re-runs every
// (scenario, seed) the file lists and writes the digests the current code
// produces. Run as `bazel run //tests/golden:update`.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/golden/golden_digests.h"

int main(int argc, char** argv) {
  using quicsim::golden::GoldenCase;
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (workspace == nullptr) {
    std::fprintf(stderr, "run me with: %s\n", quicsim::golden::kUpdateCommand);
    return 2;
  }
  const std::string path =
      absl::StrCat(workspace, "/", quicsim::golden::kGoldenPath);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<GoldenCase>> cases =
      quicsim::golden::ParseGoldenFile(text.str());
  if (!in.good() || !cases.ok()) {
    std::fprintf(
        stderr, "%s: %s\n", path.c_str(),
        cases.ok() ? "cannot read" : cases.status().ToString().c_str());
    return 2;
  }
  int changed = 0;
  for (GoldenCase& c : *cases) {
    // Scenarios are read from the source tree, like the golden file.
    absl::StatusOr<GoldenCase> got =
        quicsim::golden::ComputeCase(workspace, c.scenario, c.seed);
    if (!got.ok()) {
      std::fprintf(stderr, "%s seed %llu: %s\n", c.scenario.c_str(),
                   static_cast<unsigned long long>(c.seed),
                   got.status().ToString().c_str());
      return 1;
    }
    if (got->events_digest != c.events_digest ||
        got->wire_digest != c.wire_digest) {
      ++changed;
      std::printf("changed: %s seed %llu\n", c.scenario.c_str(),
                  static_cast<unsigned long long>(c.seed));
    }
    c = *got;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << quicsim::golden::FormatGoldenFile(*cases);
    if (!out.good()) {
      std::fprintf(stderr, "cannot write %s\n", tmp.c_str());
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::fprintf(stderr, "cannot rename %s\n", tmp.c_str());
    return 1;
  }
  std::printf("%s: %zu cases, %d changed\n", path.c_str(), cases->size(),
              changed);
  return 0;
}
