#include "tls/private_key.h"

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/ec_key.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tls/random.h"
#include "tls/test_pki.h"

namespace quicsim::tls {
namespace {

std::vector<uint8_t> Message() {
  std::string m(64, ' ');
  m += "TLS 1.3, server CertificateVerify";
  m.push_back('\0');
  m += std::string(32, 'h');
  return std::vector<uint8_t>(m.begin(), m.end());
}

std::unique_ptr<PrivateKey> KeyOf(KeyType type) {
  TestPkiOptions o;
  o.key_type = type;
  auto chain = MakeTestChain(o);
  EXPECT_TRUE(chain.ok());
  auto key = PrivateKey::Parse(chain->private_key);
  EXPECT_TRUE(key.ok()) << key.status();
  return key.ok() ? *std::move(key) : nullptr;
}

// Verifies with BoringSSL's own EVP verifier, independent of Sign.
bool Verify(const PrivateKey& key, uint16_t algorithm,
            const std::vector<uint8_t>& message,
            const std::vector<uint8_t>& sig) {
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = algorithm == kSignEd25519        ? nullptr
                     : algorithm == kSignRsaPssSha384 ? EVP_sha384()
                     : algorithm == kSignRsaPssSha512 ? EVP_sha512()
                                                      : EVP_sha256();
  if (!EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key.pkey())) {
    return false;
  }
  if (key.type() == EVP_PKEY_RSA &&
      (!EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) ||
       !EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1))) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), message.data(),
                          message.size()) == 1;
}

TEST(PrivateKeyTest, Ed25519IsDeterministicAndVerifies) {
  auto key = KeyOf(KeyType::kEd25519);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->algorithms(), std::vector<uint16_t>{kSignEd25519});
  EXPECT_TRUE(key->deterministic());
  ChaChaRandom r1("a"), r2("b");
  auto a = key->Sign(kSignEd25519, Message(), &r1);
  auto b = key->Sign(kSignEd25519, Message(), &r2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);  // Ed25519 draws nothing
  EXPECT_EQ(a->size(), 64u);
  EXPECT_TRUE(Verify(*key, kSignEd25519, Message(), *a));
}

TEST(PrivateKeyTest, EcdsaNonceComesFromTheStream) {
  auto key = KeyOf(KeyType::kEcdsaP256);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->algorithms(), std::vector<uint16_t>{kSignEcdsaP256Sha256});
  EXPECT_TRUE(key->deterministic());
  std::vector<std::vector<uint8_t>> seen;
  for (const char* seed : {"s", "s", "t"}) {
    ChaChaRandom r(seed);
    auto sig = key->Sign(kSignEcdsaP256Sha256, Message(), &r);
    ASSERT_TRUE(sig.ok()) << sig.status();
    EXPECT_TRUE(Verify(*key, kSignEcdsaP256Sha256, Message(), *sig));
    seen.push_back(*sig);
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_NE(seen[0], seen[2]);
  // Without a stream the nonce is random: two signatures differ, both valid.
  auto x = key->Sign(kSignEcdsaP256Sha256, Message(), nullptr);
  auto y = key->Sign(kSignEcdsaP256Sha256, Message(), nullptr);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_NE(*x, *y);
  EXPECT_TRUE(Verify(*key, kSignEcdsaP256Sha256, Message(), *x));
}

TEST(PrivateKeyTest, OtherCurvesAndRsaPss) {
  for (int nid : {NID_secp384r1, NID_secp521r1}) {
    bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(nid));
    ASSERT_TRUE(ec && EC_KEY_generate_key(ec.get()));
    bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
    ASSERT_TRUE(EVP_PKEY_set1_EC_KEY(pkey.get(), ec.get()));
    bssl::ScopedCBB cbb;
    uint8_t* der = nullptr;
    size_t len = 0;
    ASSERT_TRUE(CBB_init(cbb.get(), 256) &&
                EVP_marshal_private_key(cbb.get(), pkey.get()) &&
                CBB_finish(cbb.get(), &der, &len));
    bssl::UniquePtr<uint8_t> owner(der);
    auto key = PrivateKey::Parse(absl::MakeConstSpan(der, len));
    ASSERT_TRUE(key.ok()) << key.status();
    const uint16_t alg =
        nid == NID_secp384r1 ? kSignEcdsaP384Sha384 : kSignEcdsaP521Sha512;
    EXPECT_EQ((*key)->algorithms(), std::vector<uint16_t>{alg});
    ChaChaRandom r1("n"), r2("n");
    auto a = (*key)->Sign(alg, Message(), &r1);
    auto b = (*key)->Sign(alg, Message(), &r2);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
    // The digest is the scheme's: verify with ECDSA_verify over it.
    uint8_t digest[64];
    unsigned dlen = 0;
    ASSERT_TRUE(EVP_Digest(Message().data(), Message().size(), digest, &dlen,
                           nid == NID_secp384r1 ? EVP_sha384() : EVP_sha512(),
                           nullptr));
    EXPECT_EQ(ECDSA_verify(0, digest, dlen, a->data(), a->size(), ec.get()), 1);
  }
  bssl::UniquePtr<RSA> rsa(RSA_new());
  bssl::UniquePtr<BIGNUM> e(BN_new());
  ASSERT_TRUE(BN_set_word(e.get(), RSA_F4) &&
              RSA_generate_key_ex(rsa.get(), 2048, e.get(), nullptr));
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
  ASSERT_TRUE(EVP_PKEY_set1_RSA(pkey.get(), rsa.get()));
  bssl::ScopedCBB cbb;
  uint8_t* der = nullptr;
  size_t len = 0;
  ASSERT_TRUE(CBB_init(cbb.get(), 2048) &&
              EVP_marshal_private_key(cbb.get(), pkey.get()) &&
              CBB_finish(cbb.get(), &der, &len));
  bssl::UniquePtr<uint8_t> owner(der);
  auto key = PrivateKey::Parse(absl::MakeConstSpan(der, len));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_FALSE((*key)->deterministic());
  for (uint16_t alg : (*key)->algorithms()) {
    auto sig = (*key)->Sign(alg, Message(), nullptr);
    ASSERT_TRUE(sig.ok()) << sig.status();
    EXPECT_EQ(sig->size(), 256u);
    EXPECT_TRUE(Verify(**key, alg, Message(), *sig));
  }
}

TEST(PrivateKeyTest, RejectsGarbageAndForeignSchemes) {
  const std::vector<uint8_t> garbage = {0x30, 0x03, 0x02, 0x01, 0x00};
  EXPECT_FALSE(PrivateKey::Parse(garbage).ok());
  EXPECT_FALSE(PrivateKey::Parse({}).ok());
  auto key = KeyOf(KeyType::kEd25519);
  ASSERT_NE(key, nullptr);
  EXPECT_FALSE(key->Sign(kSignEcdsaP256Sha256, Message(), nullptr).ok());
  EXPECT_FALSE(key->Sign(0xffff, Message(), nullptr).ok());
}

}  // namespace
}  // namespace quicsim::tls
