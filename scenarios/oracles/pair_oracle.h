// The packet-level oracles of one pair, watching every datagram both sides
// report (endpoints::ConnectionObserver): amplification_limit,
// no_packet_after_key_discard and no_packet_after_draining, each in its own
// file, and no_stall's anti-deadlock timer rule. A HandshakePair (or an adapter
// side) reports to it through HandshakePairOptions::observer.
#ifndef QUICSIM_SCENARIOS_ORACLES_PAIR_ORACLE_H_
#define QUICSIM_SCENARIOS_ORACLES_PAIR_ORACLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "endpoints/connection.h"
#include "scenarios/oracles/amplification_limit.h"
#include "scenarios/oracles/no_packet_after_draining.h"
#include "scenarios/oracles/no_packet_after_key_discard.h"
#include "scenarios/runner/seed_result.h"

namespace quicsim::scenarios::oracles {

// Fans one pair's observations out to the packet-level oracles; see the
// file comment.
class PairOracle : public endpoints::ConnectionObserver {
 public:
  void OnDatagramSent(endpoints::Perspective self, size_t bytes, uint8_t levels,
                      bool has_connection_close) override;
  void OnDatagramReceived(endpoints::Perspective self, size_t bytes) override;
  void OnAddressValidated(endpoints::Perspective self) override;
  void OnKeysDiscarded(endpoints::Perspective self,
                       endpoints::EncryptionLevel level) override;
  void OnPacketSent(endpoints::Perspective self,
                    endpoints::EncryptionLevel level) override;
  void OnClosingPeriodEnded(endpoints::Perspective self) override;
  // no_stall's anti-deadlock rule (RFC 9002 §6.2.2.1): a side that must
  // keep a loss-detection timer (a client before its peer validated it)
  // and has none is reported once.
  void OnLossTimer(endpoints::Perspective self, bool armed,
                   bool required) override;

  // Every violation so far, in the order found, named as in
  // Expectations::Oracle.
  const std::vector<OracleViolation>& violations() const { return violations_; }
  const AmplificationLimit& amplification() const { return amplification_; }

 private:
  AmplificationLimit amplification_;
  NoPacketAfterKeyDiscard key_discard_;
  NoPacketAfterDraining draining_;
  bool deadlock_reported_ = false;
  std::vector<OracleViolation> violations_;
};

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_PAIR_ORACLE_H_
