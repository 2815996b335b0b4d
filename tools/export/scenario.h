// Small handshake scenarios run with a capture, a kept trace and a keylog:
// the inputs the exporters need, for the tshark test and the demo binary.
// A scenario is one or two client/server pairs on links c2s and s2c.
#ifndef QUICSIM_TOOLS_EXPORT_SCENARIO_H_
#define QUICSIM_TOOLS_EXPORT_SCENARIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "endpoints/verdict.h"
#include "sim/capture.h"
#include "sim/datagram.h"
#include "sim/trace.h"

namespace quicsim::exporter {

// What a scenario run produced.
struct ScenarioResult {
  sim::Capture capture;
  std::vector<sim::TraceEvent> events;
  std::vector<std::string> keylog;  // SSLKEYLOGFILE lines, deduplicated
  struct Pair {
    std::string name;  // trace actor prefix: "pair/0"
    sim::Address client;
    sim::Address server;
    endpoints::Verdict client_verdict;
    endpoints::Verdict server_verdict;
  };
  std::vector<Pair> pairs;
};

// Runs scenario `name`: "clean", "lossy" (30% loss each way), "retry",
// "zero_rtt" (a full handshake, then a resumption carrying 0-RTT),
// "alpn_mismatch" (server injects no_application_protocol), "impaired"
// (corruption, duplication and reordering). Errors on unknown names.
absl::StatusOr<std::unique_ptr<ScenarioResult>> RunScenario(
    const std::string& name, uint64_t seed);

// The scenario names RunScenario knows.
std::vector<std::string> ScenarioNames();

}  // namespace quicsim::exporter

#endif  // QUICSIM_TOOLS_EXPORT_SCENARIO_H_
