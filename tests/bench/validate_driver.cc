// Validates one scenario file N extra times, for instruction counts of the
// validation layer under cachegrind (tools/validation_overhead.sh): the
// difference between N = 1000 and N = 0 is 1000 validations.
//
//   validate_driver SCENARIO.textproto N
#include <cstdio>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "scenarios/scenario_loader.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: validate_driver SCENARIO N\n");
    return 2;
  }
  absl::StatusOr<quicsim::scenarios::Scenario> s =
      quicsim::scenarios::LoadScenarioFile(argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
    return 2;
  }
  const long n = std::strtol(argv[2], nullptr, 10);
  int failures = 0;
  for (long i = 0; i < n; ++i) {
    if (!quicsim::scenarios::ValidateScenario(*s, argv[1]).ok()) ++failures;
  }
  return failures == 0 ? 0 : 1;
}
