#include "tls/random.h"

#include <openssl/chacha.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

namespace quicsim::tls {

ChaChaRandom::ChaChaRandom(absl::string_view seed) {
  SHA256(reinterpret_cast<const uint8_t*>(seed.data()), seed.size(), key_);
}

void ChaChaRandom::Refill() {
  static constexpr uint8_t kZeros[sizeof(block_)] = {};
  static constexpr uint8_t kNonce[12] = {'q', 'u', 'i', 'c', 's', 'i',
                                         'm', '-', 't', 'l', 's', 0};
  CRYPTO_chacha_20(block_, kZeros, sizeof(block_), key_, kNonce, counter_);
  counter_ += sizeof(block_) / 64;
  used_ = 0;
}

void ChaChaRandom::Fill(absl::Span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    if (used_ == sizeof(block_)) Refill();
    const size_t n = std::min(out.size() - done, sizeof(block_) - used_);
    std::memcpy(out.data() + done, block_ + used_, n);
    used_ += n;
    done += n;
  }
}

}  // namespace quicsim::tls
