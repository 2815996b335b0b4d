// The no_packet_after_key_discard oracle
// (Expectations::NO_PACKET_AFTER_KEY_DISCARD): once an endpoint discarded the
// keys of an encryption level it sends no packet at that level (RFC 9001
// §4.9).
#ifndef QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_KEY_DISCARD_H_
#define QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_KEY_DISCARD_H_

#include <vector>

#include "endpoints/perspective.h"
#include "endpoints/types.h"
#include "scenarios/runner/seed_result.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kNoPacketAfterKeyDiscard[] =
    "no_packet_after_key_discard";

// Watches one pair's key discards and packets.
class NoPacketAfterKeyDiscard {
 public:
  void OnKeysDiscarded(endpoints::Perspective self,
                       endpoints::EncryptionLevel level);
  // A packet at `level` left `self`; appends a violation to `out` when its
  // keys were discarded.
  void OnPacketSent(endpoints::Perspective self,
                    endpoints::EncryptionLevel level,
                    std::vector<OracleViolation>* out);

 private:
  bool discarded_[2][4] = {};
};

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_KEY_DISCARD_H_
