#include "tls/test_pki.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace quicsim::tls {
namespace {

bssl::UniquePtr<X509> Parse(const std::vector<uint8_t>& der) {
  const uint8_t* p = der.data();
  return bssl::UniquePtr<X509>(d2i_X509(nullptr, &p, der.size()));
}

// Verifies `chain` against its root at `when` with X509_verify_cert.
int VerifyAt(const TestChain& chain, time_t when) {
  bssl::UniquePtr<X509_STORE> store(X509_STORE_new());
  bssl::UniquePtr<X509> root = Parse(chain.root);
  X509_STORE_add_cert(store.get(), root.get());
  bssl::UniquePtr<X509> leaf = Parse(chain.chain[0]);
  bssl::UniquePtr<STACK_OF(X509)> rest(sk_X509_new_null());
  for (size_t i = 1; i < chain.chain.size(); ++i) {
    sk_X509_push(rest.get(), Parse(chain.chain[i]).release());
  }
  bssl::UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), rest.get());
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), when);
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx.get()),
                              "example.com", 11);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK
                                          : X509_STORE_CTX_get_error(ctx.get());
}

constexpr time_t kEpoch = 1767225600;  // 2026-01-01

TEST(TestPkiTest, Ed25519ChainIsDeterministicAndVerifies) {
  auto a = MakeTestChain({});
  auto b = MakeTestChain({});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->chain, b->chain);
  EXPECT_EQ(a->root, b->root);
  EXPECT_EQ(a->private_key, b->private_key);
  EXPECT_EQ(a->chain.size(), 2u);
  EXPECT_EQ(VerifyAt(*a, kEpoch), X509_V_OK);
  TestPkiOptions other;
  other.seed = "other";
  auto c = MakeTestChain(other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->chain, c->chain);
  // The leaf's key is Ed25519 and matches the certificate.
  bssl::UniquePtr<X509> leaf = Parse(a->chain[0]);
  bssl::UniquePtr<EVP_PKEY> pub(X509_get_pubkey(leaf.get()));
  EXPECT_EQ(EVP_PKEY_id(pub.get()), EVP_PKEY_ED25519);
}

TEST(TestPkiTest, ValidityWindow) {
  auto a = MakeTestChain({});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(VerifyAt(*a, kEpoch - 2 * 86400), X509_V_ERR_CERT_NOT_YET_VALID);
  EXPECT_EQ(VerifyAt(*a, kEpoch + 366 * 86400), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST(TestPkiTest, Variants) {
  TestPkiOptions o;
  o.variant = TestPkiOptions::Variant::kExpired;
  auto expired = MakeTestChain(o);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(VerifyAt(*expired, kEpoch), X509_V_ERR_CERT_HAS_EXPIRED);
  o.variant = TestPkiOptions::Variant::kWronglySigned;
  auto wrong = MakeTestChain(o);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(VerifyAt(*wrong, kEpoch), X509_V_ERR_CERT_SIGNATURE_FAILURE);
}

TEST(TestPkiTest, SanNames) {
  TestPkiOptions o;
  o.dns_names = {"a.example", "b.example"};
  auto chain = MakeTestChain(o);
  ASSERT_TRUE(chain.ok());
  bssl::UniquePtr<X509> leaf = Parse(chain->chain[0]);
  EXPECT_EQ(X509_check_host(leaf.get(), "b.example", 9, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(leaf.get(), "example.com", 11, 0, nullptr), 0);
}

TEST(TestPkiTest, LongPaddedChain) {
  TestPkiOptions o;
  o.chain_length = 9;
  o.target_certificate_size = 1500;
  auto chain = MakeTestChain(o);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->chain.size(), 9u);
  for (const auto& der : chain->chain) {
    EXPECT_GE(der.size(), 1500u);
    EXPECT_LE(der.size(), 1504u);
  }
  EXPECT_EQ(VerifyAt(*chain, kEpoch), X509_V_OK);
}

TEST(TestPkiTest, EcdsaP256) {
  TestPkiOptions o;
  o.key_type = KeyType::kEcdsaP256;
  o.chain_length = 3;
  auto a = MakeTestChain(o);
  auto b = MakeTestChain(o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(VerifyAt(*a, kEpoch), X509_V_OK);
  // Keys derive from the seed, and so do the ECDSA signatures' nonces:
  // the same seed gives byte-identical chains.
  EXPECT_EQ(a->private_key, b->private_key);
  EXPECT_EQ(a->chain, b->chain);
  EXPECT_EQ(a->root, b->root);
  // Pinned across processes and builds (-c dbg / -c opt).
  std::string all;
  for (const auto& der : a->chain) all.append(der.begin(), der.end());
  all.append(a->root.begin(), a->root.end());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(all.data()), all.size(), digest);
  EXPECT_EQ(absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(digest), sizeof(digest))),
            "d7003b9f2d208b52afb8cb7cb3f2c00b8972d0918cea018bcf02c534dface075");
  TestPkiOptions other = o;
  other.seed = "other";
  auto c = MakeTestChain(other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->chain[0], c->chain[0]);
  bssl::UniquePtr<X509> leaf = Parse(a->chain[0]);
  bssl::UniquePtr<EVP_PKEY> pub(X509_get_pubkey(leaf.get()));
  EXPECT_EQ(EVP_PKEY_id(pub.get()), EVP_PKEY_EC);
}

TEST(TestPkiTest, RejectsBadLength) {
  TestPkiOptions o;
  o.chain_length = 0;
  EXPECT_FALSE(MakeTestChain(o).ok());
}

}  // namespace
}  // namespace quicsim::tls
