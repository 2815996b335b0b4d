#include "scenarios/oracles/expected_outcome.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "scenarios/oracles/verdicts_agree.h"

namespace quicsim::scenarios::oracles {
namespace {

bool CodeAccepted(const Expectations& expect, uint64_t code) {
  return std::find(expect.error_codes().begin(), expect.error_codes().end(),
                   code) != expect.error_codes().end();
}

}  // namespace

std::optional<std::string> CheckExpectedOutcome(const Expectations& expect,
                                                const PairResult& p) {
  if (expect.outcome() == Expectations::CONFIRMED) {
    if (p.client.kind == VerdictKind::kConfirmed &&
        p.server.kind == VerdictKind::kConfirmed) {
      return std::nullopt;
    }
    return absl::StrCat("expected CONFIRMED, got ", DescribePair(p));
  }
  if (expect.outcome() != Expectations::CLOSED) return std::nullopt;
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
  if (any_closed) return std::nullopt;
  return want;
}

std::vector<std::string> CheckResumption(const EndpointConfig& client,
                                         const EndpointConfig& server,
                                         bool prime_ticket,
                                         const endpoints::Verdict& v) {
  std::vector<std::string> out;
  if (!client.resumption().enabled() ||
      v.kind != endpoints::Verdict::Kind::kConfirmed) {
    return out;
  }
  const bool want_0rtt = client.resumption().zero_rtt();
  const bool server_0rtt =
      server.resumption().enabled() && server.resumption().zero_rtt();
  if (prime_ticket && !v.resumed) {
    out.push_back("the handshake did not resume the session");
  }
  if (prime_ticket && want_0rtt && server_0rtt && !v.early_data_accepted) {
    out.push_back("the server did not accept 0-RTT");
  }
  if (!server_0rtt && v.early_data_accepted) {
    out.push_back("0-RTT was accepted by a server configured to refuse it");
  }
  return out;
}

std::optional<std::string> CheckPrimingTicket(bool prime_ticket) {
  if (prime_ticket) return std::nullopt;
  return "priming handshake ended without a session ticket; the measured "
         "handshake could not resume";
}

}  // namespace quicsim::scenarios::oracles
