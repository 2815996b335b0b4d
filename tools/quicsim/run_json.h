// `quicsim run --format=json`: the run's summary as one JSON object on
// stdout, for scripts (the text table stays the default).
#ifndef QUICSIM_TOOLS_QUICSIM_RUN_JSON_H_
#define QUICSIM_TOOLS_QUICSIM_RUN_JSON_H_

#include <string>
#include <vector>

#include "scenarios/scenario.pb.h"
#include "tools/quicsim/suite.h"

namespace quicsim::tools {

// What the JSON report is made of besides the suite report.
struct RunJsonExtras {
  // TESTBRIDGE_TEST_ONLY when a seed filter chose the seeds.
  std::string seed_filter;
  // Files `--export` wrote, and outputs that could not be written.
  std::vector<std::string> exported;
  std::vector<std::string> not_written;
  int exit_code = 0;
};

// One JSON object (no trailing newline):
//   {"scenario": name, "scenario_path": path,
//    "seeds": {"base": B, "count": N} or {"filter": "3,9-12"},
//    "shard": {"index": I, "total": T}, "seeds_run": N,
//    "pairs": N, "confirmed": N, "failing_pairs": N,
//    "closed": [{"code": 376, "hex": "0x178",
//                "name": "no_application_protocol", "pairs": N}, ...],
//    "violations": {"oracle": pairs, ...},
//    "handshake_time_ms": {"p50": x, "p90": x, "p99": x, "max": x} or null,
//    "cpu_seconds": x, "handshakes_per_cpu_second": x,
//    "result": "PASS" | "FAIL", "failing_seed_count": N,
//    "failing_seeds": [...] (at most the listed ones),
//    "traces": [...], "traces_skipped": N, "exported": [...],
//    "not_written": [...], "exit_code": 0 | 1 | 2}
std::string RunReportJson(const scenarios::Scenario& scenario,
                          const SuiteOptions& options,
                          const SuiteReport& report,
                          const RunJsonExtras& extras);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_RUN_JSON_H_
