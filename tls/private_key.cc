#include "tls/private_key.h"

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace quicsim::tls {
namespace {

// The digest a signature scheme hashes with; nullptr for Ed25519.
const EVP_MD* DigestFor(uint16_t algorithm) {
  switch (algorithm) {
    case kSignEcdsaP256Sha256:
    case kSignRsaPssSha256:
      return EVP_sha256();
    case kSignEcdsaP384Sha384:
    case kSignRsaPssSha384:
      return EVP_sha384();
    case kSignEcdsaP521Sha512:
    case kSignRsaPssSha512:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

absl::Status SignError(absl::string_view what) {
  ERR_clear_error();
  return absl::InternalError(absl::StrCat("private key: ", what));
}

}  // namespace

absl::StatusOr<std::vector<uint8_t>> EcdsaSignDigest(
    const EC_KEY* key, absl::Span<const uint8_t> digest, RandomStream* random) {
  const EC_GROUP* group = key != nullptr ? EC_KEY_get0_group(key) : nullptr;
  if (group == nullptr) return SignError("not an EC key");
  const BIGNUM* order = EC_GROUP_get0_order(group);
  const size_t len = BN_num_bytes(order);
  std::vector<uint8_t> nonce(len);
  bssl::UniquePtr<BIGNUM> k(BN_new());
  if (!k) return SignError("out of memory");
  // Rejection sampling: at most a handful of rounds for any NIST curve
  // (P-521's top byte is masked to its 9 significant bits).
  const int top_bits = BN_num_bits(order) % 8;
  for (int round = 0;; ++round) {
    if (round == 256) return SignError("no usable ECDSA nonce");
    if (random != nullptr) {
      random->Fill(absl::MakeSpan(nonce));
    } else if (!RAND_bytes(nonce.data(), nonce.size())) {
      return SignError("RAND_bytes failed");
    }
    if (top_bits != 0) nonce[0] &= static_cast<uint8_t>((1u << top_bits) - 1);
    if (!BN_bin2bn(nonce.data(), nonce.size(), k.get())) {
      return SignError("out of memory");
    }
    if (!BN_is_zero(k.get()) && BN_cmp(k.get(), order) < 0) break;
  }
  bssl::UniquePtr<ECDSA_SIG> sig(
      ECDSA_sign_with_nonce_and_leak_private_key_for_testing(
          digest.data(), digest.size(), key, nonce.data(), nonce.size()));
  OPENSSL_cleanse(nonce.data(), nonce.size());
  if (!sig) return SignError("ECDSA signing failed");
  uint8_t* der = nullptr;
  size_t der_len = 0;
  if (!ECDSA_SIG_to_bytes(&der, &der_len, sig.get())) {
    return SignError("encoding the ECDSA signature failed");
  }
  std::vector<uint8_t> out(der, der + der_len);
  OPENSSL_free(der);
  return out;
}

PrivateKey::PrivateKey(bssl::UniquePtr<EVP_PKEY> pkey)
    : pkey_(std::move(pkey)) {}

absl::StatusOr<std::unique_ptr<PrivateKey>> PrivateKey::Parse(
    absl::Span<const uint8_t> pkcs8) {
  CBS cbs;
  CBS_init(&cbs, pkcs8.data(), pkcs8.size());
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_parse_private_key(&cbs));
  if (!pkey || CBS_len(&cbs) != 0) {
    ERR_clear_error();
    return absl::InvalidArgumentError("private key: not a PKCS#8 key");
  }
  std::unique_ptr<PrivateKey> key(new PrivateKey(std::move(pkey)));
  switch (key->type()) {
    case EVP_PKEY_ED25519:
      key->algorithms_ = {kSignEd25519};
      key->deterministic_ = true;
      break;
    case EVP_PKEY_EC: {
      const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key->pkey());
      switch (EC_GROUP_get_curve_name(EC_KEY_get0_group(ec))) {
        case NID_X9_62_prime256v1:
          key->algorithms_ = {kSignEcdsaP256Sha256};
          break;
        case NID_secp384r1:
          key->algorithms_ = {kSignEcdsaP384Sha384};
          break;
        case NID_secp521r1:
          key->algorithms_ = {kSignEcdsaP521Sha512};
          break;
        default:
          return absl::InvalidArgumentError("private key: unsupported curve");
      }
      key->deterministic_ = true;
      break;
    }
    case EVP_PKEY_RSA:
      key->algorithms_ = {kSignRsaPssSha256, kSignRsaPssSha384,
                          kSignRsaPssSha512};
      key->deterministic_ = false;
      break;
    default:
      return absl::InvalidArgumentError("private key: unsupported key type");
  }
  return key;
}

absl::StatusOr<std::vector<uint8_t>> PrivateKey::Sign(
    uint16_t algorithm, absl::Span<const uint8_t> message,
    RandomStream* random) const {
  bool supported = false;
  for (uint16_t a : algorithms_) supported = supported || a == algorithm;
  if (!supported) {
    return absl::InvalidArgumentError(absl::StrCat(
        "private key: cannot sign with scheme 0x", absl::Hex(algorithm)));
  }
  const EVP_MD* md = DigestFor(algorithm);
  if (type() == EVP_PKEY_EC) {
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    if (!EVP_Digest(message.data(), message.size(), digest, &digest_len, md,
                    nullptr)) {
      return SignError("hashing failed");
    }
    return EcdsaSignDigest(EVP_PKEY_get0_EC_KEY(pkey_.get()),
                           absl::MakeConstSpan(digest, digest_len), random);
  }
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_PKEY_CTX* pctx = nullptr;
  if (!EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, pkey_.get())) {
    return SignError("EVP_DigestSignInit failed");
  }
  if (type() == EVP_PKEY_RSA &&
      (!EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) ||
       !EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1))) {
    return SignError("RSA-PSS setup failed");
  }
  size_t len = 0;
  if (!EVP_DigestSign(ctx.get(), nullptr, &len, message.data(),
                      message.size())) {
    return SignError("signing failed");
  }
  std::vector<uint8_t> out(len);
  if (!EVP_DigestSign(ctx.get(), out.data(), &len, message.data(),
                      message.size())) {
    return SignError("signing failed");
  }
  out.resize(len);
  return out;
}

}  // namespace quicsim::tls
