// `quicsim replay TRACE`: re-run a trace's scenario and seed (and script)
// and compare the new run with the recorded one event by event.
#ifndef QUICSIM_TOOLS_QUICSIM_REPLAY_H_
#define QUICSIM_TOOLS_QUICSIM_REPLAY_H_

#include <string>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"

namespace quicsim::tools {

// The outcome of a replay.
struct ReplayReport {
  // Events, verdicts and digests all matched.
  bool reproduced = false;
  // Also the wire bytes (both runs byte-level with equal wire digests).
  bool byte_for_byte = false;
  // Index of the first differing event, or -1.
  int first_divergence = -1;
  // Human-readable report: the verdict, or the first divergence with a few
  // events of context.
  std::string text;
};

// Events of context shown before a divergence.
inline constexpr int kReplayContextEvents = 3;

// Replays `recorded`. Errors mean the run could not happen at all.
absl::StatusOr<ReplayReport> ReplayTrace(scenarios::SeedRunner& runner,
                                         const trace::Trace& recorded);

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_REPLAY_H_
