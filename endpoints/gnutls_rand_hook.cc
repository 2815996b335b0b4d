#include "endpoints/gnutls_rand_hook.h"

#include <dlfcn.h>
#include <gnutls/crypto.h>

#include <cstddef>
#include <cstdlib>

#include "absl/types/span.h"
#include "tls/env.h"

namespace {

using GnutlsRndFn = int (*)(gnutls_rnd_level_t, void*, size_t);

GnutlsRndFn RealGnutlsRnd() {
  static const GnutlsRndFn real =
      reinterpret_cast<GnutlsRndFn>(dlsym(RTLD_NEXT, "gnutls_rnd"));
  return real;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int gnutls_rnd(
    gnutls_rnd_level_t level, void* data, size_t len) {
  if (quicsim::tls::RandomStream* stream =
          quicsim::tls::CurrentRandomStream()) {
    stream->Fill(absl::MakeSpan(static_cast<uint8_t*>(data), len));
    return 0;
  }
  GnutlsRndFn real = RealGnutlsRnd();
  if (real == nullptr) std::abort();  // libgnutls is always linked.
  return real(level, data, len);
}

namespace quicsim::endpoints {

bool GnutlsRndInterposed() {
  return dlsym(RTLD_DEFAULT, "gnutls_rnd") ==
         reinterpret_cast<void*>(&gnutls_rnd);
}

}  // namespace quicsim::endpoints
