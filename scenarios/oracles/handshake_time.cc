#include "scenarios/oracles/handshake_time.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "scenarios/scenario_loader.h"

namespace quicsim::scenarios::oracles {

std::vector<std::string> CheckHandshakeTime(const Expectations& expect,
                                            const PairResult& pair) {
  std::vector<std::string> out;
  if (expect.max_handshake_time().empty()) return out;
  const sim::Duration bound =
      DurationOr(expect.max_handshake_time(), sim::Duration::Infinite());
  for (const auto& [side, v] :
       {std::pair<const char*, const Verdict*>{"client", &pair.client},
        {"server", &pair.server}}) {
    if (v->kind == VerdictKind::kNone) continue;
    if (v->kind == VerdictKind::kTimedOut && expect.allow_peer_timeout()) {
      continue;
    }
    if (v->handshake_time > bound) {
      out.push_back(absl::StrCat(side, " took ", v->handshake_time.ToString(),
                                 ", bound ", bound.ToString()));
    }
  }
  return out;
}

}  // namespace quicsim::scenarios::oracles
