// The no_packet_after_draining oracle
// (Expectations::NO_PACKET_AFTER_DRAINING): once an endpoint's closing or
// draining period ended it sends nothing more (RFC 9000 §10.2).
#ifndef QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_DRAINING_H_
#define QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_DRAINING_H_

#include <cstddef>
#include <vector>

#include "endpoints/perspective.h"
#include "scenarios/runner/seed_result.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kNoPacketAfterDraining[] = "no_packet_after_draining";

// Watches one pair's closing periods and datagrams.
class NoPacketAfterDraining {
 public:
  void OnClosingPeriodEnded(endpoints::Perspective self);
  // A datagram of `bytes` left `self`; appends a violation to `out` when its
  // closing/draining period had ended.
  void OnDatagramSent(endpoints::Perspective self, size_t bytes,
                      std::vector<OracleViolation>* out);

 private:
  bool ended_[2] = {};
};

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_NO_PACKET_AFTER_DRAINING_H_
