// The amplification_limit oracle (Expectations::AMPLIFICATION_LIMIT): before
// the server validates the client's address it never sends more than three
// times what it received (RFC 9000 §8.1). It counts every datagram from what
// the endpoints report, independently of the code that enforces the limit.
#ifndef QUICSIM_SCENARIOS_ORACLES_AMPLIFICATION_LIMIT_H_
#define QUICSIM_SCENARIOS_ORACLES_AMPLIFICATION_LIMIT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "endpoints/perspective.h"
#include "scenarios/runner/seed_result.h"

namespace quicsim::scenarios::oracles {

// The oracle's name in violations.
inline constexpr char kAmplificationLimit[] = "amplification_limit";

// Counts one pair's server traffic before address validation.
class AmplificationLimit {
 public:
  // A datagram of `bytes` left `self`; appends a violation to `out` when the
  // server exceeds the limit with it.
  void OnDatagramSent(endpoints::Perspective self, size_t bytes,
                      std::vector<OracleViolation>* out);
  // A datagram of `bytes` reached `self`.
  void OnDatagramReceived(endpoints::Perspective self, size_t bytes);
  // `self` validated its peer's address (the server's counting stops).
  void OnAddressValidated(endpoints::Perspective self);

  // Bytes the server sent and received before it validated the address.
  uint64_t server_sent_unvalidated() const { return sent_; }
  uint64_t server_received_unvalidated() const { return received_; }

 private:
  bool validated_ = false;
  uint64_t sent_ = 0;
  uint64_t received_ = 0;
};

}  // namespace quicsim::scenarios::oracles

#endif  // QUICSIM_SCENARIOS_ORACLES_AMPLIFICATION_LIMIT_H_
