// Seeded random streams: the only source of randomness in simulated behaviour.
//
// Algorithm (specified, pinned by golden-value tests):
//  - Rng(seed): the xoshiro256** state s[0..3] is filled with four successive
//    SplitMix64 outputs starting from `seed` (as Blackman and Vigna recommend).
//  - Next64(): xoshiro256** 1.0 (Blackman & Vigna, 2018).
//  - ForStream(run_seed, name): the stream seed is the first 8 bytes, read
//    big-endian, of SHA-256(BE64(run_seed) || name) (BoringSSL), then
//    Rng(stream seed). Streams are therefore independent of how many other
//    streams exist or in which order they were created.
//  - Uniform(n): Lemire's multiply-shift with rejection (unbiased).
//  - UniformDouble(): (Next64() >> 11) * 2^-53, in [0, 1).
//  - Bernoulli(p): UniformDouble() < p; always consumes exactly one draw.
//  - Fill(): one Next64() per 8 bytes, little-endian; the last partial word
//    uses its low bytes.
#ifndef QUICSIM_SIM_RANDOM_H_
#define QUICSIM_SIM_RANDOM_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace quicsim::sim {

// SplitMix64 (Steele, Lea, Flood 2014): used to expand a 64-bit seed.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  // Returns the next output and advances the state.
  uint64_t Next();

 private:
  uint64_t state_;
};

// A deterministic xoshiro256** generator. Cheap to copy; copies continue
// independently from the same point.
class Rng {
 public:
  // Seeds the state from four SplitMix64(seed) outputs.
  explicit Rng(uint64_t seed);
  // Uses `state` directly (for reference vectors). It must not be all zero.
  static Rng FromState(const std::array<uint64_t, 4>& state);
  // A named substream of a run: see the file comment for the derivation.
  static Rng ForStream(uint64_t run_seed, std::string_view name);
  // The seed ForStream(run_seed, name) passes to Rng(uint64_t).
  static uint64_t StreamSeed(uint64_t run_seed, std::string_view name);

  // The next 64 uniformly distributed bits.
  uint64_t Next64();
  // A uniform integer in [0, n). `n` must be > 0.
  uint64_t Uniform(uint64_t n);
  // A uniform double in [0, 1) with 53 random bits.
  double UniformDouble();
  // True with probability `p` (p <= 0: never; p >= 1: always). One draw.
  bool Bernoulli(double p);
  // Fills `out[0..len)` with random bytes.
  void Fill(uint8_t* out, size_t len);

  const std::array<uint64_t, 4>& state() const { return s_; }

 private:
  Rng() = default;
  std::array<uint64_t, 4> s_{};
};

}  // namespace quicsim::sim

#endif  // QUICSIM_SIM_RANDOM_H_
