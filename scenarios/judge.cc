#include "scenarios/judge.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scenarios/oracles/error_propagation.h"
#include "scenarios/oracles/expected_outcome.h"
#include "scenarios/oracles/no_stall.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios {
namespace {

VerdictKind KindOf(endpoints::Verdict::Kind kind) {
  using K = endpoints::Verdict::Kind;
  switch (kind) {
    case K::kNone:
      return VerdictKind::kNone;
    case K::kConfirmed:
      return VerdictKind::kConfirmed;
    case K::kClosedSent:
      return VerdictKind::kClosedSent;
    case K::kClosedReceived:
      return VerdictKind::kClosedReceived;
    case K::kTimedOut:
      return VerdictKind::kTimedOut;
    case K::kAborted:
      return VerdictKind::kAborted;
  }
  return VerdictKind::kNone;
}

// The max_handshake_time bound of `expect`, if any.
std::optional<sim::Duration> Bound(const Expectations& expect) {
  if (expect.max_handshake_time().empty()) return std::nullopt;
  return DurationOr(expect.max_handshake_time(), {});
}

// The oracles of the measured handshake.
void JudgeMeasured(const VariantPlan& plan, const PairSlot& slot,
                   PairResult* pr) {
  const endpoints::HandshakePair* pair = slot.measured.get();
  if (pair == nullptr) return;
  pr->violations = slot.oracle->violations();
  for (std::string& detail : oracles::CheckErrorPropagation(
           pair->client_verdict(), pair->server_verdict(),
           Bound(plan.scenario.expect()))) {
    pr->violations.push_back({oracles::kErrorPropagation, std::move(detail)});
  }
  for (std::string& detail :
       oracles::CheckResumption(plan.scenario.client(), plan.scenario.server(),
                                slot.prime_ticket, pair->client_verdict())) {
    pr->violations.push_back({oracles::kExpectedOutcome, std::move(detail)});
  }
}

// The oracles of the priming handshake (resumption).
void JudgePrime(const PairSlot& slot, PairResult* pr) {
  if (slot.prime == nullptr) return;
  for (const OracleViolation& v : slot.prime_oracle->violations()) {
    pr->violations.push_back(
        {v.oracle, absl::StrCat("priming handshake: ", v.detail)});
  }
  if (std::optional<std::string> missing =
          oracles::CheckPrimingTicket(slot.prime_ticket)) {
    pr->violations.push_back({oracles::kExpectedOutcome, std::move(*missing)});
  }
}

}  // namespace

Verdict RunnerVerdict(const endpoints::Verdict& v) {
  Verdict out;
  out.kind = KindOf(v.kind);
  out.error_code = v.code;
  out.handshake_time = v.elapsed;
  return out;
}

std::vector<PairResult> JudgeWorld(const World& world,
                                   const std::vector<PairSlot>& slots) {
  std::vector<PairResult> results;
  results.reserve(slots.size());
  const bool stalled = world.scheduler.stalled();
  for (int i = 0; i < static_cast<int>(slots.size()); ++i) {
    const PairSlot& slot = slots[i];
    PairResult pr;
    pr.pair_index = i;
    const endpoints::HandshakePair* pair = slot.measured.get();
    if (pair != nullptr) {
      pr.client = RunnerVerdict(pair->client_verdict());
      pr.server = RunnerVerdict(pair->server_verdict());
    }
    JudgeMeasured(world.plan_of(i), slot, &pr);
    JudgePrime(slot, &pr);
    if (std::optional<std::string> stall = oracles::CheckNoStall(
            pair != nullptr && pair->done(), stalled, world.scheduler.Now(),
            world.scheduler.events_run())) {
      pr.violations.push_back({oracles::kNoStall, std::move(*stall)});
    }
    results.push_back(std::move(pr));
  }
  return results;
}

}  // namespace quicsim::scenarios
