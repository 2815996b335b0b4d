#include "scenarios/oracles/verdicts_agree.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {
namespace {

std::string Describe(const Verdict& v) {
  if (v.closed()) {
    return absl::StrFormat("%s 0x%x", VerdictKindName(v.kind), v.error_code);
  }
  return VerdictKindName(v.kind);
}

// True when `closer` closed and `peer` ended in a way the expectation
// tolerates for the side that did not close.
bool PeerOfCloseAgrees(const Expectations& expect, const Verdict& closer,
                       const Verdict& peer) {
  if (peer.kind == VerdictKind::kClosedReceived ||
      peer.kind == VerdictKind::kClosedSent) {
    if (closer.kind == VerdictKind::kAborted) return false;
    return peer.error_code == closer.error_code &&
           (closer.kind == VerdictKind::kClosedSent ||
            peer.kind == VerdictKind::kClosedSent);
  }
  // Only a side that sent its close (or never sent anything) can have a
  // peer that timed out or heard nothing.
  if (closer.kind != VerdictKind::kClosedSent &&
      closer.kind != VerdictKind::kAborted) {
    return false;
  }
  if (peer.kind == VerdictKind::kTimedOut) return expect.allow_peer_timeout();
  if (peer.kind == VerdictKind::kNone) return expect.allow_peer_silent();
  return false;
}

bool VerdictsAgree(const Expectations& expect, const PairResult& p) {
  const Verdict& c = p.client;
  const Verdict& s = p.server;
  if (c.kind == VerdictKind::kConfirmed || s.kind == VerdictKind::kConfirmed) {
    return c.kind == VerdictKind::kConfirmed &&
           s.kind == VerdictKind::kConfirmed;
  }
  if (c.closed()) return PeerOfCloseAgrees(expect, c, s);
  if (s.closed()) return PeerOfCloseAgrees(expect, s, c);
  return false;  // Neither confirmed nor closed: both timed out or silent.
}

}  // namespace

std::string DescribePair(const PairResult& p) {
  return absl::StrCat("client ", Describe(p.client), ", server ",
                      Describe(p.server));
}

std::optional<std::string> CheckVerdictsAgree(const Expectations& expect,
                                              const PairResult& pair) {
  if (VerdictsAgree(expect, pair)) return std::nullopt;
  return DescribePair(pair);
}

}  // namespace quicsim::scenarios::oracles
