// The per-call environment of the TLS engine: which random stream and which
// clock BoringSSL sees while an engine is inside it. A thread-local scoped
// guard selects them; the RAND_bytes interposer (rand_hook.h) and the
// SSL_CTX time callback read it.
#ifndef QUICSIM_TLS_ENV_H_
#define QUICSIM_TLS_ENV_H_

#include <functional>

#include "absl/time/time.h"
#include "tls/random.h"

namespace quicsim::tls {

// Returns the current time for an endpoint. Simulators map virtual time onto
// a fixed epoch: VirtualEpoch() + elapsed virtual time.
using Clock = std::function<absl::Time()>;

// 2026-01-01T00:00:00Z, the fixed origin onto which virtual time is mapped.
absl::Time VirtualEpoch();

// Installs `random` and `clock` as the current environment of this thread for
// its lifetime; restores the previous one on destruction (guards nest).
class ScopedEnv {
 public:
  ScopedEnv(RandomStream* random, const Clock* clock);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  RandomStream* prev_random_;
  const Clock* prev_clock_;
};

// The random stream of the innermost guard, or nullptr outside any guard.
RandomStream* CurrentRandomStream();

// The time of the innermost guard's clock; VirtualEpoch() outside any guard
// or when the guard has no clock (never the wall clock).
absl::Time CurrentTime();

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_ENV_H_
