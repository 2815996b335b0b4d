// Randomness sources for the TLS engine: the interface the engine draws from,
// and a seeded ChaCha20 stream for callers that do not bring their own.
#ifndef QUICSIM_TLS_RANDOM_H_
#define QUICSIM_TLS_RANDOM_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace quicsim::tls {

// A stream of random bytes owned by one endpoint. Every byte BoringSSL draws
// while that endpoint's engine runs comes from here (see env.h).
class RandomStream {
 public:
  virtual ~RandomStream() = default;
  // Fills `out` with the next bytes of the stream.
  virtual void Fill(absl::Span<uint8_t> out) = 0;
};

// ChaCha20 keystream keyed by SHA-256(seed): reproducible for a seed, and
// independent between seeds. Used by tests, benchmarks and as a default.
class ChaChaRandom : public RandomStream {
 public:
  explicit ChaChaRandom(absl::string_view seed);
  void Fill(absl::Span<uint8_t> out) override;

 private:
  void Refill();

  uint8_t key_[32];
  uint32_t counter_ = 0;
  uint8_t block_[256];
  size_t used_ = sizeof(block_);
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_RANDOM_H_
