// The clock GnuTLS reads, for the ngtcp2 peer: virtual time, not the wall
// clock. GnuTLS has two process-wide clocks: gnutls_time (seconds;
// certificate validity, ticket key rotation, ticket lifetime), settable with
// gnutls_global_set_time_function, and gnutls_gettime (a timespec; the
// session ticket's creation time, the client's ticket age, the anti-replay
// window), settable with the private but exported
// _gnutls_global_set_gettime_function (GnuTLS's own tests use it the same
// way, tests/virt-time.h). Both are installed on the first
// ScopedGnutlsClock; inside one they return tls::VirtualEpoch() plus the
// scope's virtual time, outside any the virtual epoch itself (never the wall
// clock).
#ifndef QUICSIM_ENDPOINTS_GNUTLS_CLOCK_H_
#define QUICSIM_ENDPOINTS_GNUTLS_CLOCK_H_

#include <cstdint>

#include "sim/time.h"

namespace quicsim::endpoints {

// Sets GnuTLS's clocks to `now` (virtual time) for this thread until the
// scope ends (scopes nest; the outer time comes back).
class ScopedGnutlsClock {
 public:
  explicit ScopedGnutlsClock(sim::Time now);
  ~ScopedGnutlsClock();
  ScopedGnutlsClock(const ScopedGnutlsClock&) = delete;
  ScopedGnutlsClock& operator=(const ScopedGnutlsClock&) = delete;

 private:
  int64_t previous_nanos_;  // -1: no enclosing scope
};

// Seconds since the Unix epoch of virtual time zero (tls::VirtualEpoch()).
inline constexpr int64_t kGnutlsVirtualEpochSeconds = 1767225600;

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_GNUTLS_CLOCK_H_
