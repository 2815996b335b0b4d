// `quicsim explore --mode=exhaustive`: small-scope exhaustive search. Every
// schedule that puts at most K faults (drop, duplicate, reorder = swap with
// the link's next datagram, corrupt = one seed-drawn bit) on the first N
// datagrams of each link runs once, over a clean network (delay, jitter,
// bandwidth and phases from the scenario and its seed; no random
// impairments).
//
// The schedules form a tree: a schedule's faults, in the order their
// datagrams were sent, extend its parent's by one fault on a datagram sent
// after the parent's last fault. Only datagrams that the parent's run really
// sent are candidates, so nothing is spent on datagrams that never exist
// (e.g. after the handshake ended), and no schedule runs twice.
//
// With prefix sharing the single-threaded simulator fork()s at each decision
// point: the child applies the fault and continues, the parent waits and
// continues without it, so a schedule costs only the run after its last
// fault. Without it every schedule is re-run from the start (the
// benchmark's baseline).
#ifndef QUICSIM_TOOLS_QUICSIM_EXPLORE_H_
#define QUICSIM_TOOLS_QUICSIM_EXPLORE_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/runner/seed_runner.h"
#include "scenarios/runner/trace.pb.h"
#include "scenarios/scenario.pb.h"
#include "sim/time.h"

namespace quicsim::tools {

// Options of ExploreExhaustive.
struct ExhaustiveOptions {
  // K: faults per schedule.
  int max_faults = 2;
  // N: datagrams per link (by per-link index) that may carry a fault.
  int first_datagrams = 8;
  // Fault kinds: DROP, DUPLICATE, REORDER, CORRUPT.
  std::vector<trace::NetworkDecision::Action> faults = {
      trace::NetworkDecision::DROP, trace::NetworkDecision::DUPLICATE,
      trace::NetworkDecision::REORDER, trace::NetworkDecision::CORRUPT};
  // Resumption: the fault window of each link starts at the judged
  // (resumed) handshake's first datagram, not at the priming handshake's.
  bool skip_priming = false;
  // > 1: one more fault kind, a burst: this datagram and the link's next
  // burst - 1 are dropped (one fault; its trace lists each drop).
  int burst = 0;
  // A reordered datagram waits for the link's next one at most this long.
  sim::Duration reorder_fallback = sim::Duration::Millis(100);
  // fork() at decision points (else re-run every schedule from the start).
  // Off by default: on these machines a fork and exit of the simulator
  // (about 280 mappings) costs more CPU than a whole simulated handshake,
  // see tests/bench/explore.
  bool prefix_sharing = false;
  // Where failing schedules' traces go; empty: none written.
  std::string trace_dir;
  // Recorded in the traces (informational).
  std::string scenario_path;
  // Progress lines (or null).
  FILE* progress = nullptr;
  // Sharding: the first fault's ordinal i (in send order, then fault kind)
  // runs on shard i % shard_total, with its whole subtree; the fault-free
  // schedule runs on shard 0.
  uint64_t shard_index = 0;
  uint64_t shard_total = 1;
};

// One schedule's result.
struct ScheduleResult {
  // The faults, as a script (1-based indices), in send order.
  std::vector<trace::NetworkDecision> faults;
  // Verdicts of every pair and violated oracles, e.g.
  // "pair0 CONFIRMED/0x0 CONFIRMED/0x0".
  std::string outcome;
  // FailureSignature of the first failing pair; empty when it passed.
  std::string signature;
  bool failing() const { return !signature.empty(); }
};

// What exhaustive search found.
struct ExhaustiveReport {
  int64_t schedules = 0;
  // Schedules per distinct outcome.
  std::map<std::string, int64_t> outcomes;
  std::vector<ScheduleResult> failures;
  // Trace files written (one per failing schedule).
  std::vector<std::string> trace_files;
  // Failing schedules whose scripted re-run (the trace) did not fail the
  // same way; should be empty.
  int64_t not_reproduced = 0;
  // User + system CPU seconds of this process and its children.
  double cpu_seconds = 0;
  double wall_seconds = 0;
  // Re-run strategy only: this thread's CPU from each schedule's last fault
  // to the end of its run (the whole run for the fault-free schedule). It is
  // what any prefix sharing, even a free snapshot of the world, would still
  // pay, so cpu_seconds / suffix_cpu_seconds bounds its speed-up.
  double suffix_cpu_seconds = 0;

  bool ok() const { return failures.empty(); }
  // The summary lines: schedules, distinct outcomes, failing, schedules per
  // CPU second, ...
  std::string Render() const;
};

// "DROP pair/0/c2s#3" (plus " bit=N" for CORRUPT).
std::string FaultName(const trace::NetworkDecision& fault);

// Runs every schedule of `scenario` (as given: the caller sets pairs and
// expectations) with `seed`. Errors: the scenario cannot run, or fork()
// failed.
absl::StatusOr<ExhaustiveReport> ExploreExhaustive(
    scenarios::SeedRunner& runner, const scenarios::Scenario& scenario,
    uint64_t seed, const ExhaustiveOptions& options);

// User + system CPU seconds of this process plus its waited-for children.
double CpuSecondsWithChildren();

}  // namespace quicsim::tools

#endif  // QUICSIM_TOOLS_QUICSIM_EXPLORE_H_
