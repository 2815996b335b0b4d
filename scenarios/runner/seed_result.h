// What one seed's run produces: a verdict per side of every pair, the oracle
// violations, the digests and (when asked) the trace. The endpoint layer
// fills these; the runner library judges and summarises them.
#ifndef QUICSIM_SCENARIOS_RUNNER_SEED_RESULT_H_
#define QUICSIM_SCENARIOS_RUNNER_SEED_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner/trace.pb.h"
#include "sim/time.h"

namespace quicsim::scenarios {

// How one side of a connection ended.
enum class VerdictKind {
  // Never reached a verdict (never started, or the run hit a limit).
  kNone,
  // Handshake confirmed (RFC 9001 §4.1.2).
  kConfirmed,
  // Closed with a CONNECTION_CLOSE it sent.
  kClosedSent,
  // Closed by a CONNECTION_CLOSE it received.
  kClosedReceived,
  // Ended by idle timeout.
  kTimedOut,
  // Failed locally before sending anything (e.g. the application aborted at
  // FirstFlightReady); error_code says why.
  kAborted,
};

// "CONFIRMED", "CLOSED_SENT", ...
const char* VerdictKindName(VerdictKind kind);

// One side's verdict.
struct Verdict {
  VerdictKind kind = VerdictKind::kNone;
  // QUIC error code (transport, or 0x100 + TLS alert) for the CLOSED kinds
  // and kAborted.
  uint64_t error_code = 0;
  // From the pair's start to the verdict.
  sim::Duration handshake_time;

  bool closed() const {
    return kind == VerdictKind::kClosedSent ||
           kind == VerdictKind::kClosedReceived ||
           kind == VerdictKind::kAborted;
  }
};

// A violated oracle: its name (lower_snake_case of
// scenarios::Expectations::Oracle, e.g. "amplification_limit", or
// "determinism") and what happened.
struct OracleViolation {
  std::string oracle;
  std::string detail;
};

// Result of one client/server pair.
struct PairResult {
  int pair_index = 0;
  Verdict client;
  Verdict server;
  // Violations found while the world ran (scenarios/judge.h:
  // amplification_limit, no_packet_after_key_discard,
  // no_packet_after_draining, error_propagation, expected_outcome of a
  // resumption, no_stall); JudgePair appends verdicts_agree /
  // expected_outcome / handshake_time (scenarios/oracles/expectations.h).
  std::vector<OracleViolation> violations;
};

// Result of one seed.
struct SeedResult {
  uint64_t seed = 0;
  // One entry per pair, in pair order.
  std::vector<PairResult> pairs;
  // Hex digest of the event stream; must not depend on record_trace.
  std::string events_digest;
  // Hex digest of the wire bytes; empty if unavailable.
  std::string wire_digest;
  trace::DeterminismLevel determinism = trace::DETERMINISM_UNKNOWN;
  // Events processed and virtual time at the end (for the summary).
  uint64_t events_processed = 0;
  sim::Time end_time;
  // With record_trace: at least `events` filled (and `script` as used); the
  // runner library fills scenario, seed, build, verdicts and digests.
  std::optional<trace::Trace> trace;
};

// Proto forms for traces.
trace::SideVerdict VerdictToProto(const Verdict& verdict);
trace::PairVerdict PairResultToProto(const PairResult& pair);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_RUNNER_SEED_RESULT_H_
