// Which side of a connection an endpoint (or a message's sender) is.
#ifndef QUICSIM_ENDPOINTS_PERSPECTIVE_H_
#define QUICSIM_ENDPOINTS_PERSPECTIVE_H_

#include <cstdint>

namespace quicsim::endpoints {

// Client or server role.
enum class Perspective : uint8_t { kClient = 0, kServer = 1 };

// The other role.
constexpr Perspective Peer(Perspective p) {
  return p == Perspective::kClient ? Perspective::kServer
                                   : Perspective::kClient;
}

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_PERSPECTIVE_H_
