#include "scenarios/runner/seed_result.h"

namespace quicsim::scenarios {

const char* VerdictKindName(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kNone:
      return "NONE";
    case VerdictKind::kConfirmed:
      return "CONFIRMED";
    case VerdictKind::kClosedSent:
      return "CLOSED_SENT";
    case VerdictKind::kClosedReceived:
      return "CLOSED_RECEIVED";
    case VerdictKind::kTimedOut:
      return "TIMED_OUT";
    case VerdictKind::kAborted:
      return "ABORTED";
  }
  return "?";
}

trace::SideVerdict VerdictToProto(const Verdict& verdict) {
  trace::SideVerdict out;
  switch (verdict.kind) {
    case VerdictKind::kNone:
      out.set_kind(trace::SideVerdict::NONE);
      break;
    case VerdictKind::kConfirmed:
      out.set_kind(trace::SideVerdict::CONFIRMED);
      break;
    case VerdictKind::kClosedSent:
      out.set_kind(trace::SideVerdict::CLOSED_SENT);
      break;
    case VerdictKind::kClosedReceived:
      out.set_kind(trace::SideVerdict::CLOSED_RECEIVED);
      break;
    case VerdictKind::kTimedOut:
      out.set_kind(trace::SideVerdict::TIMED_OUT);
      break;
    case VerdictKind::kAborted:
      out.set_kind(trace::SideVerdict::ABORTED);
      break;
  }
  out.set_error_code(verdict.error_code);
  out.set_handshake_time_ns(verdict.handshake_time.nanos());
  return out;
}

trace::PairVerdict PairResultToProto(const PairResult& pair) {
  trace::PairVerdict out;
  out.set_pair(pair.pair_index);
  *out.mutable_client() = VerdictToProto(pair.client);
  *out.mutable_server() = VerdictToProto(pair.server);
  for (const OracleViolation& v : pair.violations) {
    trace::OracleViolation* pv = out.add_violations();
    pv->set_oracle(v.oracle);
    pv->set_detail(v.detail);
  }
  return out;
}

}  // namespace quicsim::scenarios
