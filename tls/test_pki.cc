#include "tls/test_pki.h"

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/curve25519.h>
#include <openssl/ec.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/obj.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tls/private_key.h"
#include "tls/random.h"

namespace quicsim::tls {
namespace {

// Object identifier of the padding extension (a private arc; never parsed).
constexpr char kPaddingOid[] = "1.3.6.1.4.1.59999.1";

absl::Status Fail(absl::string_view what) {
  return absl::InternalError(absl::StrCat("test PKI: ", what));
}

// Derives the key named `name` from the seed.
bssl::UniquePtr<EVP_PKEY> DeriveKey(KeyType type, absl::string_view seed,
                                    absl::string_view name) {
  const std::string input = absl::StrCat(seed, "/", name);
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(input.data()), input.size(), digest);
  if (type == KeyType::kEd25519) {
    // The 32-byte digest is the Ed25519 seed (ED25519_keypair_from_seed).
    return bssl::UniquePtr<EVP_PKEY>(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, digest, sizeof(digest)));
  }
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  const EC_GROUP* group = EC_KEY_get0_group(ec.get());
  bssl::UniquePtr<BIGNUM> scalar(BN_bin2bn(digest, sizeof(digest), nullptr));
  bssl::UniquePtr<BIGNUM> reduced(BN_new());
  bssl::UniquePtr<BN_CTX> bn_ctx(BN_CTX_new());
  if (!scalar || !reduced || !bn_ctx ||
      !BN_nnmod(reduced.get(), scalar.get(), EC_GROUP_get0_order(group),
                bn_ctx.get()) ||
      BN_is_zero(reduced.get())) {
    return nullptr;
  }
  bssl::UniquePtr<EC_POINT> pub(EC_POINT_new(group));
  if (!pub ||
      !EC_POINT_mul(group, pub.get(), reduced.get(), nullptr, nullptr,
                    bn_ctx.get()) ||
      !EC_KEY_set_private_key(ec.get(), reduced.get()) ||
      !EC_KEY_set_public_key(ec.get(), pub.get())) {
    return nullptr;
  }
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
  if (!pkey || !EVP_PKEY_set1_EC_KEY(pkey.get(), ec.get())) return nullptr;
  return pkey;
}

bool AddExtension(X509* x, int nid, const char* value) {
  bssl::UniquePtr<X509_EXTENSION> ext(
      X509V3_EXT_nconf_nid(nullptr, nullptr, nid, value));
  return ext && X509_add_ext(x, ext.get(), -1);
}

bool AddPadding(X509* x, size_t pad) {
  // extnValue holds the DER of an OCTET STRING of `pad` zero bytes.
  bssl::ScopedCBB cbb;
  CBB inner;
  uint8_t* zeros;
  uint8_t* der = nullptr;
  size_t der_len = 0;
  if (!CBB_init(cbb.get(), pad + 8) ||
      !CBB_add_asn1(cbb.get(), &inner, CBS_ASN1_OCTETSTRING) ||
      !CBB_add_space(&inner, &zeros, pad)) {
    return false;
  }
  std::fill(zeros, zeros + pad, 0);
  if (!CBB_finish(cbb.get(), &der, &der_len)) return false;
  bssl::UniquePtr<uint8_t> der_owner(der);
  bssl::UniquePtr<ASN1_OCTET_STRING> value(ASN1_OCTET_STRING_new());
  bssl::UniquePtr<ASN1_OBJECT> obj(OBJ_txt2obj(kPaddingOid, 1));
  if (!value || !obj || !ASN1_OCTET_STRING_set(value.get(), der, der_len)) {
    return false;
  }
  bssl::UniquePtr<X509_EXTENSION> ext(
      X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), 0, value.get()));
  return ext && X509_add_ext(x, ext.get(), -1);
}

bool SetName(X509_NAME* name, const std::string& cn) {
  return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const uint8_t*>(cn.data()),
                                    cn.size(), -1, 0);
}

struct CertSpec {
  std::string subject;
  std::string issuer;
  EVP_PKEY* subject_key;
  EVP_PKEY* signing_key;
  KeyType key_type;
  uint64_t serial;
  absl::Time not_before;
  absl::Time not_after;
  bool is_ca;
  std::vector<std::string> dns_names;
  size_t pad = 0;
};

absl::StatusOr<std::vector<uint8_t>> BuildCert(const CertSpec& spec) {
  bssl::UniquePtr<X509> x(X509_new());
  bssl::UniquePtr<ASN1_TIME> nb(
      ASN1_TIME_set(nullptr, absl::ToUnixSeconds(spec.not_before)));
  bssl::UniquePtr<ASN1_TIME> na(
      ASN1_TIME_set(nullptr, absl::ToUnixSeconds(spec.not_after)));
  if (!x || !nb || !na || !X509_set_version(x.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set(X509_get_serialNumber(x.get()),
                        static_cast<long>(spec.serial)) ||
      !SetName(X509_get_subject_name(x.get()), spec.subject) ||
      !SetName(X509_get_issuer_name(x.get()), spec.issuer) ||
      !X509_set1_notBefore(x.get(), nb.get()) ||
      !X509_set1_notAfter(x.get(), na.get()) ||
      !X509_set_pubkey(x.get(), spec.subject_key)) {
    return Fail("building the certificate body failed");
  }
  bool ok = true;
  if (spec.is_ca) {
    ok = AddExtension(x.get(), NID_basic_constraints, "critical,CA:TRUE") &&
         AddExtension(x.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = AddExtension(x.get(), NID_basic_constraints, "critical,CA:FALSE") &&
         AddExtension(x.get(), NID_key_usage, "critical,digitalSignature");
    if (ok && !spec.dns_names.empty()) {
      std::vector<std::string> sans;
      for (const std::string& n : spec.dns_names) sans.push_back("DNS:" + n);
      const std::string value = absl::StrJoin(sans, ",");
      ok = AddExtension(x.get(), NID_subject_alt_name, value.c_str());
    }
  }
  if (ok && spec.pad > 0) ok = AddPadding(x.get(), spec.pad);
  if (!ok) return Fail("adding an extension failed");
  const EVP_MD* md =
      spec.key_type == KeyType::kEd25519 ? nullptr : EVP_sha256();
  if (!X509_sign(x.get(), spec.signing_key, md)) return Fail("signing failed");
  if (spec.key_type == KeyType::kEcdsaP256) {
    // BoringSSL's ECDSA nonce is random: re-sign the same TBSCertificate with
    // a nonce derived from the issuer's name and the TBS digest, so a seed
    // gives byte-identical chains in every process.
    uint8_t* tbs = nullptr;
    const int tbs_len = i2d_re_X509_tbs(x.get(), &tbs);
    if (tbs_len <= 0) return Fail("encoding the TBSCertificate failed");
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(tbs, tbs_len, digest);
    OPENSSL_free(tbs);
    ChaChaRandom nonces(absl::StrCat(
        "quicsim test PKI ECDSA nonce/", spec.issuer, "/",
        absl::BytesToHexString(absl::string_view(
            reinterpret_cast<const char*>(digest), sizeof(digest)))));
    absl::StatusOr<std::vector<uint8_t>> sig =
        EcdsaSignDigest(EVP_PKEY_get0_EC_KEY(spec.signing_key),
                        absl::MakeConstSpan(digest, sizeof(digest)), &nonces);
    if (!sig.ok()) return sig.status();
    if (!X509_set1_signature_value(x.get(), sig->data(), sig->size())) {
      return Fail("setting the signature failed");
    }
  }
  uint8_t* der = nullptr;
  const int len = i2d_X509(x.get(), &der);
  if (len <= 0) return Fail("encoding failed");
  std::vector<uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

// Builds `spec`, padded to at least `target` bytes when target > 0.
absl::StatusOr<std::vector<uint8_t>> BuildPadded(CertSpec spec, size_t target) {
  absl::StatusOr<std::vector<uint8_t>> der = BuildCert(spec);
  if (!der.ok() || target == 0 || der->size() >= target) return der;
  // The padding extension costs about 20 bytes of framing; converge in a few
  // rounds (ECDSA signatures vary by a byte or two).
  size_t pad = target - der->size();
  for (int round = 0; round < 6; ++round) {
    spec.pad = pad;
    der = BuildCert(spec);
    if (!der.ok()) return der;
    if (der->size() >= target && der->size() <= target + 4) return der;
    if (der->size() < target) {
      pad += target - der->size();
    } else {
      const size_t over = der->size() - target;
      pad = pad > over ? pad - over : 1;
    }
  }
  return der;
}

}  // namespace

absl::StatusOr<TestChain> MakeTestChain(const TestPkiOptions& options) {
  if (options.chain_length < 1 || options.chain_length > 64) {
    return absl::InvalidArgumentError("chain_length must be in [1, 64]");
  }
  const int num_intermediates = options.chain_length - 1;
  // keys[0] = root, keys[1..n] = intermediates, keys[n+1] = leaf.
  std::vector<bssl::UniquePtr<EVP_PKEY>> keys;
  std::vector<std::string> names;
  // CA names carry a tag of the seed, so chains from different seeds never
  // share issuer names (a foreign root is "untrusted", not "badly signed").
  uint8_t tag[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(options.seed.data()),
         options.seed.size(), tag);
  const std::string seed_tag = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(tag), 4));
  keys.push_back(DeriveKey(options.key_type, options.seed, "root"));
  names.push_back(absl::StrCat("quicsim test root ", seed_tag));
  for (int i = 1; i <= num_intermediates; ++i) {
    keys.push_back(DeriveKey(options.key_type, options.seed,
                             absl::StrCat("intermediate/", i)));
    names.push_back(
        absl::StrCat("quicsim test intermediate ", i, " ", seed_tag));
  }
  keys.push_back(DeriveKey(options.key_type, options.seed, "leaf"));
  names.push_back(options.dns_names.empty() ? std::string("quicsim leaf")
                                            : options.dns_names[0]);
  bssl::UniquePtr<EVP_PKEY> wrong_key =
      DeriveKey(options.key_type, options.seed, "wrong-signer");
  for (const auto& k : keys) {
    if (!k) return Fail("key derivation failed");
  }
  if (!wrong_key) return Fail("key derivation failed");

  TestChain out;
  CertSpec root{names[0],
                names[0],
                keys[0].get(),
                keys[0].get(),
                options.key_type,
                1,
                options.not_before,
                options.not_after,
                true,
                {}};
  absl::StatusOr<std::vector<uint8_t>> root_der = BuildCert(root);
  if (!root_der.ok()) return root_der.status();
  out.root = *std::move(root_der);

  std::vector<std::vector<uint8_t>> intermediates;
  for (int i = 1; i <= num_intermediates; ++i) {
    CertSpec spec{names[i],
                  names[i - 1],
                  keys[i].get(),
                  keys[i - 1].get(),
                  options.key_type,
                  static_cast<uint64_t>(i + 1),
                  options.not_before,
                  options.not_after,
                  true,
                  {}};
    absl::StatusOr<std::vector<uint8_t>> der =
        BuildPadded(spec, options.target_certificate_size);
    if (!der.ok()) return der.status();
    intermediates.push_back(*std::move(der));
  }
  const size_t leaf_index = keys.size() - 1;
  CertSpec leaf{
      names[leaf_index],          names[leaf_index - 1], keys[leaf_index].get(),
      keys[leaf_index - 1].get(), options.key_type,      1000,
      options.not_before,         options.not_after,     false,
      options.dns_names};
  if (options.variant == TestPkiOptions::Variant::kExpired) {
    leaf.not_after = options.not_before - absl::Hours(24);
    leaf.not_before = leaf.not_after - absl::Hours(24 * 365);
  } else if (options.variant == TestPkiOptions::Variant::kWronglySigned) {
    leaf.signing_key = wrong_key.get();
  }
  absl::StatusOr<std::vector<uint8_t>> leaf_der =
      BuildPadded(leaf, options.target_certificate_size);
  if (!leaf_der.ok()) return leaf_der.status();
  out.chain.push_back(*std::move(leaf_der));
  // Intermediates in path order: the leaf's issuer first.
  for (int i = num_intermediates - 1; i >= 0; --i) {
    out.chain.push_back(std::move(intermediates[i]));
  }

  bssl::ScopedCBB cbb;
  uint8_t* key_der = nullptr;
  size_t key_len = 0;
  if (!CBB_init(cbb.get(), 128) ||
      !EVP_marshal_private_key(cbb.get(), keys[leaf_index].get()) ||
      !CBB_finish(cbb.get(), &key_der, &key_len)) {
    return Fail("encoding the private key failed");
  }
  out.private_key.assign(key_der, key_der + key_len);
  OPENSSL_free(key_der);
  return out;
}

}  // namespace quicsim::tls
