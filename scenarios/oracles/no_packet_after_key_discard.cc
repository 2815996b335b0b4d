#include "scenarios/oracles/no_packet_after_key_discard.h"

#include "absl/strings/str_format.h"

namespace quicsim::scenarios::oracles {
namespace {

int Side(endpoints::Perspective p) {
  return p == endpoints::Perspective::kClient ? 0 : 1;
}

}  // namespace

void NoPacketAfterKeyDiscard::OnKeysDiscarded(
    endpoints::Perspective self, endpoints::EncryptionLevel level) {
  discarded_[Side(self)][static_cast<int>(level)] = true;
}

void NoPacketAfterKeyDiscard::OnPacketSent(endpoints::Perspective self,
                                           endpoints::EncryptionLevel level,
                                           std::vector<OracleViolation>* out) {
  static const char* kLevelNames[] = {"initial", "0rtt", "handshake", "1rtt"};
  if (!discarded_[Side(self)][static_cast<int>(level)]) return;
  out->push_back(
      {kNoPacketAfterKeyDiscard,
       absl::StrFormat(
           "%s sent a %s packet after discarding its keys",
           self == endpoints::Perspective::kClient ? "client" : "server",
           kLevelNames[static_cast<int>(level)])});
}

}  // namespace quicsim::scenarios::oracles
