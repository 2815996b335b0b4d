// Helpers shared by the files that implement Connection (connection*.cc);
// not part of the endpoints API.
#ifndef QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_
#define QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_

#include <cstddef>

namespace quicsim::endpoints::internal {

// Client datagrams carrying Initial packets, and server datagrams carrying
// ack-eliciting Initial packets, are padded to this size (RFC 9000 §14.1).
inline constexpr size_t kMinInitialDatagramSize = 1200;

}  // namespace quicsim::endpoints::internal

#endif  // QUICSIM_ENDPOINTS_CONNECTION_INTERNAL_H_
