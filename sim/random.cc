#include "sim/random.h"

#include <openssl/sha.h>

#include <cstring>

#include "base/check.h"

namespace quicsim::sim {
namespace {

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  SplitMix64 sm(seed);
  for (uint64_t& word : s_) word = sm.Next();
}

Rng Rng::FromState(const std::array<uint64_t, 4>& state) {
  QUICSIM_CHECK(state[0] != 0 || state[1] != 0 || state[2] != 0 ||
                state[3] != 0);
  Rng rng;
  rng.s_ = state;
  return rng;
}

uint64_t Rng::StreamSeed(uint64_t run_seed, std::string_view name) {
  uint8_t be[8];
  for (int i = 0; i < 8; ++i)
    be[i] = static_cast<uint8_t>(run_seed >> (56 - 8 * i));
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, be, sizeof(be));
  SHA256_Update(&ctx, name.data(), name.size());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &ctx);
  uint64_t seed = 0;
  for (int i = 0; i < 8; ++i) seed = (seed << 8) | digest[i];
  return seed;
}

Rng Rng::ForStream(uint64_t run_seed, std::string_view name) {
  return Rng(StreamSeed(run_seed, name));
}

uint64_t Rng::Next64() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t n) {
  QUICSIM_CHECK(n > 0);
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  unsigned __int128 m = static_cast<unsigned __int128>(Next64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Rng::UniformDouble() {
  return static_cast<double>(Next64() >> 11) * 0x1.0p-53;
}

bool Rng::Bernoulli(double p) { return UniformDouble() < p; }

void Rng::Fill(uint8_t* out, size_t len) {
  while (len > 0) {
    uint64_t word = Next64();
    const size_t n = len < 8 ? len : 8;
    for (size_t i = 0; i < n; ++i) {
      out[i] = static_cast<uint8_t>(word);
      word >>= 8;
    }
    out += n;
    len -= n;
  }
}

}  // namespace quicsim::sim
