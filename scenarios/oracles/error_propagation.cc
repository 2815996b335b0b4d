#include "scenarios/oracles/error_propagation.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {
namespace {

using Kind = endpoints::Verdict::Kind;

// The code `side` failed with after the ClientHello left; 0 if it did not.
uint64_t FailureCode(const endpoints::Verdict& side) {
  if (side.engine_error_code != 0) return side.engine_error_code;
  if (side.kind == Kind::kClosedSent) return side.code;
  return 0;  // confirmed, received the peer's close, timed out or aborted
}

void Judge(const char* self_name, const endpoints::Verdict& self,
           const char* peer_name, const endpoints::Verdict& peer,
           std::optional<sim::Duration> bound, std::vector<std::string>* out) {
  const uint64_t code = FailureCode(self);
  if (code == 0) return;
  const std::string what =
      self.kind == Kind::kClosedSent && self.code == code
          ? absl::StrFormat("%s closed with 0x%x", self_name, code)
          : absl::StrFormat(
                "%s's TLS engine failed with 0x%x (its verdict: %s)", self_name,
                code, endpoints::VerdictToString(self));
  if (self.engine_error_code == code && self.kind == Kind::kClosedSent &&
      self.code == code &&
      self.engine_error_to_verdict > sim::Duration::Zero()) {
    // The stack closed, but not when its engine failed: the error was
    // swallowed or deferred (e.g. to the next HandleData call) and the
    // close waited for some later event.
    out->push_back(absl::StrFormat(
        "%s closed with 0x%x %s after its TLS engine failed", self_name, code,
        self.engine_error_to_verdict.ToString()));
  }
  if (peer.kind != Kind::kClosedReceived || peer.code != code) {
    out->push_back(absl::StrFormat("%s, but the %s ended %s", what, peer_name,
                                   endpoints::VerdictToString(peer)));
    return;
  }
  if (bound.has_value() && peer.elapsed > *bound) {
    out->push_back(absl::StrFormat("%s; the %s heard of it after %s, bound %s",
                                   what, peer_name, peer.elapsed.ToString(),
                                   bound->ToString()));
  }
}

}  // namespace

std::vector<std::string> CheckErrorPropagation(
    const endpoints::Verdict& client, const endpoints::Verdict& server,
    std::optional<sim::Duration> bound) {
  std::vector<std::string> out;
  Judge("client", client, "server", server, bound, &out);
  Judge("server", server, "client", client, bound, &out);
  return out;
}

}  // namespace quicsim::scenarios::oracles
