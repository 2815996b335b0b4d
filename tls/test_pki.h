// A deterministic test PKI: root CA, intermediates and a leaf generated at
// run time from a seed with BoringSSL's X509 API. Chains are byte-identical
// for a seed with either key type: ECDSA P-256 certificates are signed with a
// nonce derived from the issuer and the TBSCertificate (private_key.h), not
// with BoringSSL's random one.
#ifndef QUICSIM_TLS_TEST_PKI_H_
#define QUICSIM_TLS_TEST_PKI_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace quicsim::tls {

// Signature algorithm of every key in a test chain.
enum class KeyType { kEd25519, kEcdsaP256 };

// What a test chain looks like.
struct TestPkiOptions {
  std::string seed = "quicsim-pki";
  KeyType key_type = KeyType::kEd25519;
  // Certificates the server sends: the leaf plus (chain_length - 1)
  // intermediates. The root is the trust anchor and is never sent.
  int chain_length = 2;
  // DNS names in the leaf's subjectAltName.
  std::vector<std::string> dns_names = {"example.com"};
  // Validity window of every certificate.
  absl::Time not_before = absl::FromUnixSeconds(1767225600) - absl::Hours(24);
  absl::Time not_after =
      absl::FromUnixSeconds(1767225600) + absl::Hours(24 * 365);
  // If non-zero, every sent certificate is padded (with a private,
  // non-critical extension) to at least this many DER bytes.
  size_t target_certificate_size = 0;
  // Faulty variants.
  enum class Variant {
    kValid,
    kExpired,        // the leaf expired before not_before
    kWronglySigned,  // the leaf's signature is by a key that is not its
                     // issuer's
  };
  Variant variant = Variant::kValid;
};

// A generated chain, all DER.
struct TestChain {
  std::vector<std::vector<uint8_t>> chain;  // leaf first, then intermediates
  std::vector<uint8_t> private_key;         // the leaf's key, PKCS#8
  std::vector<uint8_t> root;                // the self-signed trust anchor
};

// Generates the chain `options` describes.
absl::StatusOr<TestChain> MakeTestChain(const TestPkiOptions& options);

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_TEST_PKI_H_
