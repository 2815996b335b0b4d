// Helpers shared by the files that implement Connection (connection*.cc);
// not part of the endpoints API.
#ifndef QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_
#define QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_

#include <cstddef>

#include "endpoints/types.h"

namespace quicsim::endpoints::internal {

// Client datagrams carrying Initial packets, and server datagrams carrying
// ack-eliciting Initial packets, are padded to this size (RFC 9000 §14.1).
inline constexpr size_t kMinInitialDatagramSize = 1200;

// The level names traces use.
inline const char* LevelName(EncryptionLevel level) {
  switch (level) {
    case EncryptionLevel::kInitial:
      return "initial";
    case EncryptionLevel::kZeroRtt:
      return "0rtt";
    case EncryptionLevel::kHandshake:
      return "handshake";
    case EncryptionLevel::kOneRtt:
      return "1rtt";
  }
  return "?";
}

// The packet number space names traces use.
inline const char* SpaceName(PacketNumberSpace space) {
  switch (space) {
    case PacketNumberSpace::kInitial:
      return "initial";
    case PacketNumberSpace::kHandshake:
      return "handshake";
    case PacketNumberSpace::kApplication:
      return "application";
  }
  return "?";
}

}  // namespace quicsim::endpoints::internal

#endif  // QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_
