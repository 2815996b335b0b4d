// The GnuTLS session an ngtcp2 endpoint hands to ngtcp2's crypto helper:
// credentials (the server's certificate chain and key, the client's trust
// anchor), TLS 1.3-only priorities, ALPN and SNI, configured for QUIC.
#ifndef QUICSIM_ENDPOINTS_NGTCP2_GNUTLS_SESSION_H_
#define QUICSIM_ENDPOINTS_NGTCP2_GNUTLS_SESSION_H_

#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace quicsim::endpoints {

// Owns a gnutls_session_t and its certificate credentials.
class GnutlsSession {
 public:
  // What the session is configured with.
  struct Config {
    bool server = false;
    // Server: certificate chain (leaf first) and the leaf's PKCS#8 key, DER.
    std::vector<std::vector<uint8_t>> certificate_chain;
    std::vector<uint8_t> private_key;
    // Client: the DER trust anchor; empty: the server is not verified.
    std::vector<uint8_t> trust_anchor;
    std::vector<std::string> alpn;
    // Client: the SNI (and the name verified).
    std::string server_name;
    // gnutls_init flags for resumption (Ngtcp2Endpoint::ResumptionFlags):
    // GNUTLS_NO_TICKETS, or 0 / GNUTLS_ENABLE_EARLY_DATA with tickets.
    unsigned resumption_flags = GNUTLS_NO_TICKETS;
  };

  // Creates the session; `conn_ref` (which must outlive it) is how
  // ngtcp2's crypto helper finds the connection from the session.
  static absl::StatusOr<std::unique_ptr<GnutlsSession>> Create(
      const Config& config, ngtcp2_crypto_conn_ref* conn_ref);
  ~GnutlsSession();
  GnutlsSession(const GnutlsSession&) = delete;
  GnutlsSession& operator=(const GnutlsSession&) = delete;

  gnutls_session_t session() const { return session_; }

 private:
  GnutlsSession() = default;
  absl::Status LoadCredentials(const Config& config);
  absl::Status InitSession(const Config& config,
                           ngtcp2_crypto_conn_ref* conn_ref);

  gnutls_certificate_credentials_t cred_ = nullptr;
  gnutls_session_t session_ = nullptr;
  // The name the session verifies (GnuTLS refers to it, not a copy).
  std::string server_name_;
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_NGTCP2_GNUTLS_SESSION_H_
