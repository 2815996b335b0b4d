#include "tools/quicsim/expectations.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::tools {

using scenarios::OracleViolation;
using scenarios::PairResult;
using scenarios::Verdict;
using scenarios::VerdictKind;
using scenarios::VerdictKindName;
namespace {

using scenarios::Expectations;

std::string Describe(const Verdict& v) {
  if (v.closed()) {
    return absl::StrFormat("%s 0x%x", VerdictKindName(v.kind), v.error_code);
  }
  return VerdictKindName(v.kind);
}

std::string DescribePair(const PairResult& p) {
  return absl::StrCat("client ", Describe(p.client), ", server ",
                      Describe(p.server));
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

bool CodeAccepted(const Expectations& expect, uint64_t code) {
  return std::find(expect.error_codes().begin(), expect.error_codes().end(),
                   code) != expect.error_codes().end();
}

// Empty when the outcome matches, else what was wrong.
std::string OutcomeMismatch(const Expectations& expect, const PairResult& p) {
  if (expect.outcome() == Expectations::CONFIRMED) {
    if (p.client.kind == VerdictKind::kConfirmed &&
        p.server.kind == VerdictKind::kConfirmed) {
      return "";
    }
    return absl::StrCat("expected CONFIRMED, got ", DescribePair(p));
  }
  if (expect.outcome() != Expectations::CLOSED) return "";
  const std::string want = absl::StrCat(
      "expected CLOSED with ",
      absl::StrJoin(expect.error_codes(), " or ",
                    [](std::string* out, uint64_t code) {
                      absl::StrAppend(out, absl::StrFormat("0x%x", code));
                    }),
      ", got ", DescribePair(p));
  bool any_closed = false;
  for (const Verdict* v : {&p.client, &p.server}) {
    if (v->closed()) {
      any_closed = true;
      if (!CodeAccepted(expect, v->error_code)) return want;
    } else if (v->kind == VerdictKind::kTimedOut) {
      if (!expect.allow_peer_timeout()) return want;
    } else if (v->kind == VerdictKind::kNone) {
      if (!expect.allow_peer_silent()) return want;
    } else {
      return want;
    }
  }
  return any_closed ? "" : want;
}

}  // namespace

std::string OracleName(Expectations::Oracle oracle) {
  return absl::AsciiStrToLower(Expectations::Oracle_Name(oracle));
}

bool OracleEnabled(const Expectations& expect, absl::string_view name) {
  if (name == kDeterminismOracle || expect.oracles().empty()) return true;
  for (int o : expect.oracles()) {
    if (OracleName(static_cast<Expectations::Oracle>(o)) == name) return true;
  }
  return false;
}

void JudgePair(const Expectations& expect, PairResult* pair) {
  if (!VerdictsAgree(expect, *pair)) {
    pair->violations.push_back(
        {OracleName(Expectations::VERDICTS_AGREE), DescribePair(*pair)});
  }
  const std::string mismatch = OutcomeMismatch(expect, *pair);
  if (!mismatch.empty()) {
    pair->violations.push_back(
        {OracleName(Expectations::EXPECTED_OUTCOME), mismatch});
  }
  if (!expect.max_handshake_time().empty()) {
    const sim::Duration bound = scenarios::DurationOr(
        expect.max_handshake_time(), sim::Duration::Infinite());
    for (const auto& [side, v] :
         {std::pair<const char*, const Verdict*>{"client", &pair->client},
          {"server", &pair->server}}) {
      if (v->kind == VerdictKind::kNone) continue;
      if (v->kind == VerdictKind::kTimedOut && expect.allow_peer_timeout()) {
        continue;
      }
      if (v->handshake_time > bound) {
        pair->violations.push_back(
            {OracleName(Expectations::HANDSHAKE_TIME),
             absl::StrCat(side, " took ", v->handshake_time.ToString(),
                          ", bound ", bound.ToString())});
      }
    }
  }
  pair->violations.erase(
      std::remove_if(pair->violations.begin(), pair->violations.end(),
                     [&](const OracleViolation& v) {
                       return !OracleEnabled(expect, v.oracle);
                     }),
      pair->violations.end());
  for (int o : expect.expected_violations()) {
    const std::string name = OracleName(static_cast<Expectations::Oracle>(o));
    const auto kept = std::remove_if(
        pair->violations.begin(), pair->violations.end(),
        [&](const OracleViolation& v) { return v.oracle == name; });
    if (kept == pair->violations.end()) {
      pair->violations.push_back(
          {std::string(kExpectedViolation),
           absl::StrCat("expected ", name,
                        " to be violated (a known flaw), but it held")});
    } else {
      pair->violations.erase(kept, pair->violations.end());
    }
  }
}

}  // namespace quicsim::tools
