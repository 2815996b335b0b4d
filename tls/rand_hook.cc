#include "tls/rand_hook.h"

#include <dlfcn.h>
#include <openssl/bn.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tls/env.h"

namespace {

using RandBytesFn = int (*)(uint8_t*, size_t);
using BnRandRangeExFn = int (*)(BIGNUM*, BN_ULONG, const BIGNUM*);

RandBytesFn RealRandBytes() {
  static const RandBytesFn real =
      reinterpret_cast<RandBytesFn>(dlsym(RTLD_NEXT, "RAND_bytes"));
  return real;
}

BnRandRangeExFn RealBnRandRangeEx() {
  static const BnRandRangeExFn real =
      reinterpret_cast<BnRandRangeExFn>(dlsym(RTLD_NEXT, "BN_rand_range_ex"));
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

// libssl draws the private scalar of every NIST-curve key share (P-256,
// P-384, P-521) with BN_rand_range_ex, whose own draw happens inside
// libcrypto's FIPS module where the RAND_bytes interposer does not reach.
// Inside a ScopedEnv the scalar is rejection-sampled from the stream instead:
// uniform in [min_inclusive, max_exclusive), like the original.
extern "C" __attribute__((visibility("default"))) int BN_rand_range_ex(
    BIGNUM* r, BN_ULONG min_inclusive, const BIGNUM* max_exclusive) {
  quicsim::tls::RandomStream* stream = quicsim::tls::CurrentRandomStream();
  if (stream == nullptr) {
    BnRandRangeExFn real = RealBnRandRangeEx();
    if (real == nullptr) std::abort();
    return real(r, min_inclusive, max_exclusive);
  }
  const unsigned bits = BN_num_bits(max_exclusive);
  if (bits == 0 || BN_cmp_word(max_exclusive, min_inclusive) <= 0) return 0;
  const size_t len = (bits + 7) / 8;
  uint8_t buf[512];  // up to 4096-bit ranges
  if (len > sizeof(buf)) return 0;
  for (int round = 0; round < 1000; ++round) {
    stream->Fill(absl::MakeSpan(buf, len));
    if (bits % 8 != 0) buf[0] &= static_cast<uint8_t>((1u << (bits % 8)) - 1);
    if (BN_bin2bn(buf, len, r) == nullptr) return 0;
    if (BN_cmp_word(r, min_inclusive) >= 0 && BN_cmp(r, max_exclusive) < 0) {
      return 1;
    }
  }
  return 0;
}

namespace quicsim::tls {

bool RandBytesInterposed() {
  return dlsym(RTLD_DEFAULT, "RAND_bytes") ==
             reinterpret_cast<void*>(&RAND_bytes) &&
         dlsym(RTLD_DEFAULT, "BN_rand_range_ex") ==
             reinterpret_cast<void*>(&BN_rand_range_ex);
}

}  // namespace quicsim::tls
