#include "tls/context.h"

#include <openssl/bytestring.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/pool.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tls/env.h"
#include "tls/error.h"
#include "tls/private_key.h"
#include "tls/rand_hook.h"

namespace quicsim::tls {
namespace internal {
// Installs the engine's BoringSSL callbacks on `ctx` (engine.cc).
void InstallEngineCallbacks(SSL_CTX* ctx, const Config& config);
}  // namespace internal

namespace {

constexpr uint16_t kVerifyPrefs[] = {
    SSL_SIGN_ED25519,
    SSL_SIGN_ECDSA_SECP256R1_SHA256,
    SSL_SIGN_RSA_PSS_RSAE_SHA256,
    SSL_SIGN_RSA_PKCS1_SHA256,
    SSL_SIGN_ECDSA_SECP384R1_SHA384,
    SSL_SIGN_RSA_PSS_RSAE_SHA384,
    SSL_SIGN_RSA_PKCS1_SHA384,
    SSL_SIGN_RSA_PSS_RSAE_SHA512,
    SSL_SIGN_RSA_PKCS1_SHA512,
};

constexpr size_t kTicketNonceLength = 12;

absl::Status ConfigError(absl::string_view what) {
  uint32_t err = ERR_get_error();
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat(
      "tls config: ", what,
      err != 0 ? absl::StrCat(" (", ERR_reason_error_string(err), ")") : ""));
}

// Seconds since the Unix epoch of an ASN1_TIME, without the wall clock.
bool AsnTimeToAbsl(const ASN1_TIME* t, absl::Time* out) {
  static ASN1_TIME* const kEpoch = ASN1_TIME_set(nullptr, 0);
  int days = 0;
  int seconds = 0;
  if (kEpoch == nullptr || !ASN1_TIME_diff(&days, &seconds, kEpoch, t)) {
    return false;
  }
  *out = absl::FromUnixSeconds(static_cast<int64_t>(days) * 86400 + seconds);
  return true;
}

// SSL_PRIVATE_KEY_METHOD: every server signature goes through the context's
// PrivateKey, drawing from the stream of the engine inside BoringSSL.
ssl_private_key_result_t SignWithContextKey(SSL* ssl, uint8_t* out,
                                            size_t* out_len, size_t max_out,
                                            uint16_t algorithm,
                                            const uint8_t* in, size_t in_len) {
  const Context* context =
      static_cast<const Context*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (context == nullptr || context->private_key() == nullptr ||
      context->config().faults.fail_signing) {
    return ssl_private_key_failure;
  }
  absl::StatusOr<std::vector<uint8_t>> sig = context->private_key()->Sign(
      algorithm, absl::MakeConstSpan(in, in_len), CurrentRandomStream());
  if (!sig.ok() || sig->size() > max_out) return ssl_private_key_failure;
  std::copy(sig->begin(), sig->end(), out);
  *out_len = sig->size();
  return ssl_private_key_success;
}

ssl_private_key_result_t NoPendingKeyOperation(SSL*, uint8_t*, size_t*,
                                               size_t) {
  return ssl_private_key_failure;  // Sign never returns retry.
}

constexpr SSL_PRIVATE_KEY_METHOD kPrivateKeyMethod = {
    &SignWithContextKey,
    nullptr,
    &NoPendingKeyOperation,
};

}  // namespace

Context::Context(Config config) : config_(std::move(config)) {}
Context::~Context() = default;

absl::StatusOr<std::unique_ptr<Context>> Context::Create(Config config) {
  std::unique_ptr<Context> context(new Context(std::move(config)));
  absl::Status status = context->Init();
  if (!status.ok()) return status;
  return context;
}

absl::Status Context::InitServer() {
  if (config_.certificate_chain.empty() || config_.private_key.empty()) {
    return ConfigError("a server needs a certificate chain and key");
  }
  absl::StatusOr<std::unique_ptr<PrivateKey>> key =
      PrivateKey::Parse(config_.private_key);
  if (!key.ok()) return ConfigError(key.status().message());
  private_key_ = *std::move(key);
  std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> owned;
  std::vector<CRYPTO_BUFFER*> certs;
  for (const std::vector<uint8_t>& der : config_.certificate_chain) {
    owned.emplace_back(CRYPTO_BUFFER_new(der.data(), der.size(), nullptr));
    if (!owned.back()) return ConfigError("out of memory");
    certs.push_back(owned.back().get());
  }
  // The leaf must hold the key's public half; BoringSSL takes the key's
  // type from the certificate when signing goes through a key method.
  {
    bssl::UniquePtr<X509> leaf(X509_parse_from_buffer(certs[0]));
    bssl::UniquePtr<EVP_PKEY> leaf_key(leaf ? X509_get_pubkey(leaf.get())
                                            : nullptr);
    if (!leaf_key || EVP_PKEY_cmp(leaf_key.get(), private_key_->pkey()) != 1) {
      return ConfigError("the private key does not match the certificate");
    }
  }
  if (!SSL_CTX_set_chain_and_key(ctx_.get(), certs.data(), certs.size(),
                                 nullptr, &kPrivateKeyMethod) ||
      !SSL_CTX_set_signing_algorithm_prefs(ctx_.get(),
                                           private_key_->algorithms().data(),
                                           private_key_->algorithms().size())) {
    return ConfigError("certificate chain and key rejected");
  }
  if (config_.ticket_key.size() != 16) {
    return ConfigError("ticket_key must be 16 bytes");
  }
  if (!EVP_AEAD_CTX_init(ticket_aead_.get(), EVP_aead_aes_128_gcm(),
                         config_.ticket_key.data(), config_.ticket_key.size(),
                         EVP_AEAD_DEFAULT_TAG_LENGTH, nullptr)) {
    return ConfigError("ticket key rejected");
  }
  SSL_CTX_set_num_tickets(ctx_.get(), config_.num_tickets);
  if (config_.num_tickets == 0) {
    SSL_CTX_set_options(ctx_.get(), SSL_OP_NO_TICKET);
  }
  SSL_CTX_set_session_cache_mode(ctx_.get(), SSL_SESS_CACHE_OFF);
  if (config_.enable_0rtt && config_.early_data_context.empty()) {
    return ConfigError("0-RTT with QUIC needs a non-empty early data context");
  }
  return absl::OkStatus();
}

absl::Status Context::InitClient() {
  std::string wire;
  for (const std::string& proto : config_.alpn) {
    wire.push_back(static_cast<char>(proto.size()));
    wire += proto;
  }
  if (SSL_CTX_set_alpn_protos(ctx_.get(),
                              reinterpret_cast<const uint8_t*>(wire.data()),
                              wire.size()) != 0) {
    return ConfigError("bad ALPN list");
  }
  if (!SSL_CTX_set_verify_algorithm_prefs(
          ctx_.get(), kVerifyPrefs,
          sizeof(kVerifyPrefs) / sizeof(kVerifyPrefs[0]))) {
    return ConfigError("verify prefs rejected");
  }
  SSL_CTX_set_session_cache_mode(
      ctx_.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
  if (config_.verify_peer) {
    trust_store_.reset(X509_STORE_new());
    if (!trust_store_) return ConfigError("out of memory");
    SHA256_CTX sha;
    SHA256_Init(&sha);
    for (const std::vector<uint8_t>& der : config_.trust_anchors) {
      const uint8_t* p = der.data();
      bssl::UniquePtr<X509> anchor(d2i_X509(nullptr, &p, der.size()));
      if (!anchor || p != der.data() + der.size() ||
          !X509_STORE_add_cert(trust_store_.get(), anchor.get())) {
        return ConfigError("bad trust anchor");
      }
      const uint64_t len = der.size();
      SHA256_Update(&sha, &len, sizeof(len));
      SHA256_Update(&sha, der.data(), der.size());
    }
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256_Final(digest, &sha);
    trust_anchor_digest_.assign(reinterpret_cast<char*>(digest),
                                sizeof(digest));
  }
  return absl::OkStatus();
}

absl::Status Context::Init() {
  const bool server = config_.role == Role::kServer;
  ctx_.reset(SSL_CTX_new(TLS_with_buffers_method()));
  if (!ctx_) return ConfigError("SSL_CTX_new failed");
  SSL_CTX_set_app_data(ctx_.get(), this);
  if (!SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_3_VERSION) ||
      !SSL_CTX_set_max_proto_version(ctx_.get(), TLS1_3_VERSION)) {
    return ConfigError("cannot restrict to TLS 1.3");
  }
  if (!SSL_CTX_set1_curves_list(ctx_.get(), config_.groups.c_str())) {
    return ConfigError(absl::StrCat("bad groups \"", config_.groups, "\""));
  }
  if (config_.alpn.empty()) return ConfigError("QUIC requires ALPN");
  for (const std::string& proto : config_.alpn) {
    if (proto.empty() || proto.size() > 255) return ConfigError("bad ALPN");
  }
  SSL_CTX_set_early_data_enabled(ctx_.get(), config_.enable_0rtt);

  absl::Status side = server ? InitServer() : InitClient();
  if (!side.ok()) return side;
  internal::InstallEngineCallbacks(ctx_.get(), config_);

  // X25519 draws through RAND_bytes; NIST-curve key shares through
  // BN_rand_range_ex; both are interposed (rand_hook.h). Other groups
  // (CECPQ2) are not known to.
  bool seeded_groups = true;
  for (absl::string_view group : absl::StrSplit(config_.groups, ':')) {
    seeded_groups =
        seeded_groups &&
        (group == "X25519" || group == "P-256" || group == "P-384" ||
         group == "P-521" || group == "prime256v1" || group == "secp384r1" ||
         group == "secp521r1");
  }
  determinism_ = RandBytesInterposed() && seeded_groups &&
                         (!server || private_key_->deterministic())
                     ? Determinism::kByteLevel
                     : Determinism::kEventLevel;
  return absl::OkStatus();
}

bool Context::VerifyChain(const STACK_OF(CRYPTO_BUFFER) * chain,
                          absl::string_view host, absl::Time now,
                          uint8_t* out_alert) {
  *out_alert = kAlertBadCertificate;
  if (trust_store_ == nullptr || chain == nullptr ||
      sk_CRYPTO_BUFFER_num(chain) == 0) {
    return false;
  }
  std::string key;
  if (config_.cache_verification) {
    SHA256_CTX sha;
    SHA256_Init(&sha);
    for (size_t i = 0; i < sk_CRYPTO_BUFFER_num(chain); ++i) {
      const CRYPTO_BUFFER* buf = sk_CRYPTO_BUFFER_value(chain, i);
      const uint64_t len = CRYPTO_BUFFER_len(buf);
      SHA256_Update(&sha, &len, sizeof(len));
      SHA256_Update(&sha, CRYPTO_BUFFER_data(buf), len);
    }
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256_Final(digest, &sha);
    key.reserve(sizeof(digest) + 1 + host.size() + trust_anchor_digest_.size());
    key.append(reinterpret_cast<char*>(digest), sizeof(digest));
    key.push_back('\0');
    key.append(host.data(), host.size());
    key.push_back('\0');
    key.append(trust_anchor_digest_);
    auto it = verdicts_.find(key);
    if (it != verdicts_.end() && it->second.not_before <= now &&
        now <= it->second.not_after) {
      ++cache_hits_;
      return true;
    }
    ++cache_misses_;
  }

  bssl::UniquePtr<X509> leaf(
      X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(chain, 0)));
  bssl::UniquePtr<STACK_OF(X509)> untrusted(sk_X509_new_null());
  if (!leaf || !untrusted) return false;
  for (size_t i = 1; i < sk_CRYPTO_BUFFER_num(chain); ++i) {
    X509* cert = X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(chain, i));
    if (cert == nullptr || !sk_X509_push(untrusted.get(), cert)) {
      X509_free(cert);
      return false;
    }
  }
  bssl::UniquePtr<X509_STORE_CTX> sctx(X509_STORE_CTX_new());
  if (!sctx ||
      !X509_STORE_CTX_init(sctx.get(), trust_store_.get(), leaf.get(),
                           untrusted.get()) ||
      !X509_STORE_CTX_set_default(sctx.get(), "ssl_server")) {
    ERR_clear_error();
    return false;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(sctx.get());
  X509_VERIFY_PARAM_set_time(param, absl::ToUnixSeconds(now));
  if (!host.empty() &&
      !X509_VERIFY_PARAM_set1_host(param, host.data(), host.size())) {
    return false;
  }
  if (X509_verify_cert(sctx.get()) != 1) {
    switch (X509_STORE_CTX_get_error(sctx.get())) {
      case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        *out_alert = kAlertDecryptError;
        break;
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID:
        *out_alert = kAlertCertificateExpired;
        break;
      default:
        *out_alert = kAlertBadCertificate;
    }
    ERR_clear_error();
    return false;
  }
  if (config_.cache_verification) {
    CachedVerdict verdict{absl::InfinitePast(), absl::InfiniteFuture()};
    STACK_OF(X509)* path = X509_STORE_CTX_get0_chain(sctx.get());
    for (size_t i = 0; i < sk_X509_num(path); ++i) {
      X509* cert = sk_X509_value(path, i);
      absl::Time nb, na;
      if (!AsnTimeToAbsl(X509_get0_notBefore(cert), &nb) ||
          !AsnTimeToAbsl(X509_get0_notAfter(cert), &na)) {
        return true;  // verified; just not cacheable
      }
      verdict.not_before = std::max(verdict.not_before, nb);
      verdict.not_after = std::min(verdict.not_after, na);
    }
    if (verdicts_.size() >= config_.verification_cache_capacity) {
      verdicts_.clear();
    }
    verdicts_[key] = verdict;
  }
  return true;
}

void Context::StoreSession(const std::string& server_name, Session session) {
  sessions_[server_name] = std::move(session);
}

Session Context::LookupSession(const std::string& server_name) const {
  auto it = sessions_.find(server_name);
  return it == sessions_.end() ? Session() : it->second;
}

size_t Context::TicketOverhead() const {
  return kTicketNonceLength + EVP_AEAD_max_overhead(EVP_aead_aes_128_gcm());
}

bool Context::SealTicket(uint8_t* out, size_t* out_len, size_t max_out,
                         const uint8_t* in, size_t in_len) const {
  if (max_out < kTicketNonceLength) return false;
  if (!RAND_bytes(out, kTicketNonceLength)) return false;
  size_t sealed = 0;
  if (!EVP_AEAD_CTX_seal(ticket_aead_.get(), out + kTicketNonceLength, &sealed,
                         max_out - kTicketNonceLength, out, kTicketNonceLength,
                         in, in_len, nullptr, 0)) {
    return false;
  }
  *out_len = kTicketNonceLength + sealed;
  return true;
}

bool Context::OpenTicket(uint8_t* out, size_t* out_len, size_t max_out,
                         const uint8_t* in, size_t in_len) const {
  if (in_len < kTicketNonceLength) return false;
  const bool ok = EVP_AEAD_CTX_open(
      ticket_aead_.get(), out, out_len, max_out, in, kTicketNonceLength,
      in + kTicketNonceLength, in_len - kTicketNonceLength, nullptr, 0);
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace quicsim::tls
