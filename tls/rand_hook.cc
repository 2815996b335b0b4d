#include "tls/rand_hook.h"

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tls/env.h"

namespace {

using RandBytesFn = int (*)(uint8_t*, size_t);

RandBytesFn RealRandBytes() {
  static const RandBytesFn real =
      reinterpret_cast<RandBytesFn>(dlsym(RTLD_NEXT, "RAND_bytes"));
  return real;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int RAND_bytes(uint8_t* buf,
                                                                 size_t len) {
  if (quicsim::tls::RandomStream* stream =
          quicsim::tls::CurrentRandomStream()) {
    stream->Fill(absl::MakeSpan(buf, len));
    return 1;
  }
  RandBytesFn real = RealRandBytes();
  if (real == nullptr) std::abort();  // libcrypto is always linked.
  return real(buf, len);
}

namespace quicsim::tls {

bool RandBytesInterposed() {
  return dlsym(RTLD_DEFAULT, "RAND_bytes") ==
         reinterpret_cast<void*>(&RAND_bytes);
}

}  // namespace quicsim::tls
