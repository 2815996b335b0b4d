// tls::Context: the state shared by every connection of one endpoint kind,
// built once from a Config: the SSL_CTX (certificates, ALPN, groups, ticket
// key, callbacks), the trust store, the verdict cache and the client session
// cache. Engines (engine.h) hold one SSL each and point at their Context,
// which must outlive them. Single-threaded, like the simulator.
#ifndef QUICSIM_TLS_CONTEXT_H_
#define QUICSIM_TLS_CONTEXT_H_

#include <openssl/aead.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tls/config.h"
#include "tls/private_key.h"
#include "tls/session.h"

namespace quicsim::tls {

// How reproducible a configuration's handshakes are (design rule 4).
enum class Determinism {
  // Same seed -> byte-identical CRYPTO data and secrets: X25519 only, an
  // Ed25519 or ECDSA key (server; ECDSA nonces come from the engine's
  // stream, see private_key.h), explicit ticket key and RAND_bytes
  // interposed.
  kByteLevel,
  // Same schedule and verdicts only: key exchange on P-256 (or any group
  // but X25519) or an RSA-PSS key draw randomness inside BoringSSL's FIPS
  // module where no hook reaches.
  kEventLevel,
};

// Shared per-endpoint-kind TLS state; see the file comment.
class Context {
 public:
  // Builds a context; fails on an unusable configuration (bad key, unknown
  // group, missing certificate for a server).
  static absl::StatusOr<std::unique_ptr<Context>> Create(Config config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Config& config() const { return config_; }
  SSL_CTX* ssl_ctx() const { return ctx_.get(); }
  // Server: the key every CertificateVerify is signed with (through an
  // SSL_PRIVATE_KEY_METHOD); nullptr on a client.
  const PrivateKey* private_key() const { return private_key_.get(); }
  // The determinism level this configuration achieves.
  Determinism determinism() const { return determinism_; }

  // Client: verifies `chain` (leaf first) for `host` at time `now` against
  // the trust anchors. Returns ok, or the alert to send (bad_certificate,
  // certificate_expired, decrypt_error for a bad signature). Verdicts that
  // pass are memoised by (SHA-256 of the chain, host, trust anchors) with the
  // chain's validity window, so a cached chain is re-verified once `now`
  // leaves that window.
  bool VerifyChain(const STACK_OF(CRYPTO_BUFFER) * chain,
                   absl::string_view host, absl::Time now, uint8_t* out_alert);

  // Verdict-cache counters (tests and benchmarks).
  uint64_t verification_cache_hits() const { return cache_hits_; }
  uint64_t verification_cache_misses() const { return cache_misses_; }

  // Client session cache (Config::use_session_cache), keyed by server name.
  void StoreSession(const std::string& server_name, Session session);
  // The cached session for `server_name`, or an invalid one.
  Session LookupSession(const std::string& server_name) const;

  // Ticket sealing with the configured key (SSL_TICKET_AEAD_METHOD). Nonces
  // come from RAND_bytes, i.e. the current engine's stream.
  size_t TicketOverhead() const;
  bool SealTicket(uint8_t* out, size_t* out_len, size_t max_out,
                  const uint8_t* in, size_t in_len) const;
  bool OpenTicket(uint8_t* out, size_t* out_len, size_t max_out,
                  const uint8_t* in, size_t in_len) const;

 private:
  struct CachedVerdict {
    absl::Time not_before;
    absl::Time not_after;
  };

  explicit Context(Config config);
  absl::Status Init();
  // The role-specific halves of Init(): the server's chain, key and tickets;
  // the client's ALPN list, verification preferences and trust store.
  absl::Status InitServer();
  absl::Status InitClient();

  Config config_;
  bssl::UniquePtr<SSL_CTX> ctx_;
  bssl::UniquePtr<X509_STORE> trust_store_;
  std::string trust_anchor_digest_;
  bssl::ScopedEVP_AEAD_CTX ticket_aead_;
  std::unique_ptr<PrivateKey> private_key_;
  Determinism determinism_ = Determinism::kEventLevel;
  absl::flat_hash_map<std::string, CachedVerdict> verdicts_;
  uint64_t cache_hits_ = 0;
  uint64_t cache_misses_ = 0;
  absl::flat_hash_map<std::string, Session> sessions_;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_CONTEXT_H_
