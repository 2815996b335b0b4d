// One packet number space of a connection (RFC 9000 §12.3): everything the
// connection keeps per Initial, Handshake or Application space, in one
// struct instead of parallel arrays.
#ifndef QUICSIM_ENDPOINTS_PACKET_SPACE_H_
#define QUICSIM_ENDPOINTS_PACKET_SPACE_H_

#include <array>
#include <cstdint>
#include <optional>

#include "endpoints/ack_tracker.h"
#include "endpoints/crypto_stream.h"
#include "endpoints/types.h"
#include "sim/time.h"

namespace quicsim::endpoints {

// Frames (other than CRYPTO, which CryptoStream tracks) that must be sent,
// or sent again after a loss or a PTO. Only the Application space uses them.
struct PendingFrames {
  // Server: HANDSHAKE_DONE (RFC 9001 §4.1.2).
  bool handshake_done = false;
  // Client: the request on stream 0 (0-RTT or 1-RTT).
  bool stream = false;
};

// Per-space state: the CRYPTO stream (per level, and the levels of one space
// share it), received packets and the ACKs they call for, the next packet
// number to send, the largest packet number received (for packet number
// decoding), PTO probes still owed, and frames waiting to be (re)sent.
struct PacketSpace {
  explicit PacketSpace(const AckTracker::Config& ack_config)
      : acks(ack_config) {}

  CryptoStream crypto;
  AckTracker acks;
  uint64_t next_packet_number = 0;
  std::optional<uint64_t> largest_received;
  int probes_pending = 0;
  PendingFrames pending;
};

// The three spaces of a connection, indexed by PacketNumberSpace; ACKs in
// the Application space are delayed up to `max_ack_delay`.
using PacketSpaces = std::array<PacketSpace, kNumPacketNumberSpaces>;
PacketSpaces MakePacketSpaces(sim::Duration max_ack_delay);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PACKET_SPACE_H_
