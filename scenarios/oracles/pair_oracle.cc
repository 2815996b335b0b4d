#include "scenarios/oracles/pair_oracle.h"

#include "absl/strings/str_format.h"
#include "scenarios/oracles/no_stall.h"

namespace quicsim::scenarios::oracles {

using endpoints::EncryptionLevel;
using endpoints::Perspective;

void PairOracle::OnDatagramSent(Perspective self, size_t bytes, uint8_t levels,
                                bool has_connection_close) {
  draining_.OnDatagramSent(self, bytes, &violations_);
  amplification_.OnDatagramSent(self, bytes, &violations_);
}

void PairOracle::OnDatagramReceived(Perspective self, size_t bytes) {
  amplification_.OnDatagramReceived(self, bytes);
}

void PairOracle::OnAddressValidated(Perspective self) {
  amplification_.OnAddressValidated(self);
}

void PairOracle::OnKeysDiscarded(Perspective self, EncryptionLevel level) {
  key_discard_.OnKeysDiscarded(self, level);
}

void PairOracle::OnPacketSent(Perspective self, EncryptionLevel level) {
  key_discard_.OnPacketSent(self, level, &violations_);
}

void PairOracle::OnClosingPeriodEnded(Perspective self) {
  draining_.OnClosingPeriodEnded(self);
}

void PairOracle::OnLossTimer(Perspective self, bool armed, bool required) {
  if (!required || armed || deadlock_reported_) return;
  // Reported as a stall: nothing would make either side send again unless
  // the peer happened to retransmit.
  deadlock_reported_ = true;
  violations_.push_back(
      {kNoStall,
       absl::StrFormat("%s has no loss-detection timer armed before the "
                       "handshake is confirmed and before its peer "
                       "completed address validation (RFC 9002 §6.2.2.1: "
                       "a deadlock if the peer waits too)",
                       self == Perspective::kClient ? "client" : "server")});
}

}  // namespace quicsim::scenarios::oracles
