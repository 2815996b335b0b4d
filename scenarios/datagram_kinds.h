// Which packet types a datagram carries, read from its cleartext headers with
// the endpoints' own parser (endpoints::SplitDatagram): what DatagramPredicate
// drops (FIRST_INITIAL, ALL_RETRY, ...) match on.
#ifndef QUICSIM_SCENARIOS_DATAGRAM_KINDS_H_
#define QUICSIM_SCENARIOS_DATAGRAM_KINDS_H_

#include <cstdint>

#include "absl/types/span.h"

namespace quicsim::scenarios {

// The packet types seen in one datagram.
struct DatagramKinds {
  bool initial = false;
  bool zero_rtt = false;
  bool handshake = false;
  bool retry = false;
  bool version_negotiation = false;
  bool one_rtt = false;
};

// The kinds of the coalesced packets of `payload` that parse (RFC 9000
// §12.2); the walk stops at the first packet that does not, as a receiver's
// does. A long header of a version we do not speak is classified by its type
// bits (a client's Initial that forces Version Negotiation counts as an
// Initial) and ends the walk.
DatagramKinds ClassifyDatagram(absl::Span<const uint8_t> payload);

}  // namespace quicsim::scenarios

#endif  // QUICSIM_SCENARIOS_DATAGRAM_KINDS_H_
