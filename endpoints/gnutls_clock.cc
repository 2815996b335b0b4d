#include "endpoints/gnutls_clock.h"

#include <gnutls/gnutls.h>

#include <ctime>

// Exported by libgnutls.so.30 (version GNUTLS_PRIVATE_3_4), not declared in
// its public headers.
extern "C" void _gnutls_global_set_gettime_function(
    void (*gettime)(struct timespec*));

namespace quicsim::endpoints {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Virtual nanoseconds of the innermost scope on this thread; -1 outside.
thread_local int64_t g_virtual_nanos = -1;

int64_t NowNanos() { return g_virtual_nanos < 0 ? 0 : g_virtual_nanos; }

time_t VirtualTime(time_t* t) {
  const time_t now = static_cast<time_t>(kGnutlsVirtualEpochSeconds +
                                         NowNanos() / kNanosPerSecond);
  if (t != nullptr) *t = now;
  return now;
}

void VirtualGettime(struct timespec* ts) {
  const int64_t nanos = NowNanos();
  ts->tv_sec =
      static_cast<time_t>(kGnutlsVirtualEpochSeconds + nanos / kNanosPerSecond);
  ts->tv_nsec = static_cast<long>(nanos % kNanosPerSecond);
}

void InstallOnce() {
  [[maybe_unused]] static const bool installed = [] {
    gnutls_global_set_time_function(&VirtualTime);
    _gnutls_global_set_gettime_function(&VirtualGettime);
    return true;
  }();
}

}  // namespace

ScopedGnutlsClock::ScopedGnutlsClock(sim::Time now)
    : previous_nanos_(g_virtual_nanos) {
  InstallOnce();
  g_virtual_nanos = now.nanos() < 0 ? 0 : now.nanos();
}

ScopedGnutlsClock::~ScopedGnutlsClock() { g_virtual_nanos = previous_nanos_; }

}  // namespace quicsim::endpoints
