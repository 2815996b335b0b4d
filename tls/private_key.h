// The server's private-key operations (design brief: the test PKI's
// key-operation seam). BoringSSL signs CertificateVerify through
// tls::Context's SSL_PRIVATE_KEY_METHOD, which calls PrivateKey::Sign, so
// every signature the server makes is a function of the key, the message and
// the endpoint's seeded random stream:
//   - Ed25519 is deterministic by definition;
//   - ECDSA (P-256, P-384, P-521) takes its nonce from the stream
//     (BoringSSL's own ECDSA draws it inside the FIPS module, where the
//     RAND_bytes interposer does not reach, and its DER length varies);
//   - RSA-PSS draws its salt inside BoringSSL: signatures have a fixed length
//     (event-level determinism) but not fixed bytes.
#ifndef QUICSIM_TLS_PRIVATE_KEY_H_
#define QUICSIM_TLS_PRIVATE_KEY_H_

#include <openssl/ec_key.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tls/random.h"

namespace quicsim::tls {

// TLS 1.3 SignatureScheme code points (RFC 8446 §4.2.3), as BoringSSL's
// SSL_SIGN_* constants.
inline constexpr uint16_t kSignEd25519 = 0x0807;
inline constexpr uint16_t kSignEcdsaP256Sha256 = 0x0403;
inline constexpr uint16_t kSignEcdsaP384Sha384 = 0x0503;
inline constexpr uint16_t kSignEcdsaP521Sha512 = 0x0603;
inline constexpr uint16_t kSignRsaPssSha256 = 0x0804;
inline constexpr uint16_t kSignRsaPssSha384 = 0x0805;
inline constexpr uint16_t kSignRsaPssSha512 = 0x0806;

// A parsed private key and the signatures it can make.
class PrivateKey {
 public:
  // Parses a PKCS#8 PrivateKeyInfo (Ed25519, EC on P-256/P-384/P-521, RSA).
  static absl::StatusOr<std::unique_ptr<PrivateKey>> Parse(
      absl::Span<const uint8_t> pkcs8);

  // The TLS 1.3 signature schemes this key signs with, preferred first.
  const std::vector<uint16_t>& algorithms() const { return algorithms_; }
  // True when a signature is a function of key, message and stream bytes
  // (Ed25519, ECDSA); false for RSA-PSS, whose salt BoringSSL draws itself.
  bool deterministic() const { return deterministic_; }
  // EVP_PKEY_ED25519, EVP_PKEY_EC or EVP_PKEY_RSA.
  int type() const { return EVP_PKEY_id(pkey_.get()); }
  EVP_PKEY* pkey() const { return pkey_.get(); }

  // Signs `message` with `algorithm` (one of algorithms()). ECDSA nonces come
  // from `random`, or from RAND_bytes when it is null.
  absl::StatusOr<std::vector<uint8_t>> Sign(uint16_t algorithm,
                                            absl::Span<const uint8_t> message,
                                            RandomStream* random) const;

 private:
  explicit PrivateKey(bssl::UniquePtr<EVP_PKEY> pkey);

  bssl::UniquePtr<EVP_PKEY> pkey_;
  std::vector<uint16_t> algorithms_;
  bool deterministic_ = false;
};

// ECDSA over `digest` with a nonce drawn from `random` (rejection-sampled
// into [1, order-1]; RAND_bytes when `random` is null). Returns the DER
// ECDSA-Sig-Value. Same key, digest and stream state: same bytes.
absl::StatusOr<std::vector<uint8_t>> EcdsaSignDigest(
    const EC_KEY* key, absl::Span<const uint8_t> digest, RandomStream* random);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_PRIVATE_KEY_H_
