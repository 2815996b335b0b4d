// Configuration shared by every connection of one TLS endpoint kind: the
// input of tls::Context.
#ifndef QUICSIM_TLS_CONFIG_H_
#define QUICSIM_TLS_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace quicsim::tls {

// Which side of the handshake.
enum class Role { kClient, kServer };

// Which Go crypto/tls QUIC API the engine reproduces (see tls/engine.h and
// tls/api_model.h for the exact semantics of each).
enum class ApiModel {
  // Go proposal #74922: every error comes back from the call that raised
  // it, SendFirstFlight() included; FirstFlightReady when enabled.
  kProposal74922,
  // Go 1.21-1.25: no error event; an error raised after
  // TransportParametersRequired is kept and returned by the next
  // HandleData(); no FirstFlightReady.
  kGo121,
  // Go 1.26: calls return OK; the error arrives once as an Error event and
  // the events queued before it are discarded; no FirstFlightReady.
  kGo126,
};

// "PROPOSAL_74922", "GO_1_21", "GO_1_26".
const char* ApiModelName(ApiModel model);

// Faults a context injects into every connection it makes (design brief,
// error-injection table, TLS rows). All off by default.
struct FaultInjection {
  // Server: offer an ALPN list that matches no client (alert 120 -> 0x178).
  bool alpn_mismatch = false;
  // Server: certificate selection finds no certificate for the client's SNI
  // (handshake_failure 40 -> 0x128).
  bool no_certificate_for_sni = false;
  // Server: the application refuses the client's transport parameters as
  // soon as they are read (TRANSPORT_PARAMETER_ERROR 0x08).
  bool refuse_peer_transport_parameters = false;
  // Server: an internal failure while writing EncryptedExtensions, i.e.
  // after ServerHello was generated (internal_error 80 -> 0x150). The
  // unflushed ServerHello is discarded.
  bool fail_server_flight = false;
  // Server: the private-key operation signing CertificateVerify fails
  // (ssl_private_key_failure; internal_error 80 -> 0x150), after the
  // transport parameters were exchanged and ServerHello was generated.
  bool fail_signing = false;
  // Client: certificate verification fails as if the chain were untrusted
  // (bad_certificate 42 -> 0x12a) or badly signed (decrypt_error 51 ->
  // 0x133), whatever the chain.
  enum class Verify { kNone, kUntrusted, kBadSignature };
  Verify verify = Verify::kNone;
  // Client: the application aborts at FirstFlightReady (or at Start without
  // enable_send_first_flight): local internal_error, nothing is sent.
  bool abort_before_client_hello = false;
};

// Everything a tls::Context needs. Per-connection inputs (clock, random
// stream, transport parameters, a session to resume) go to tls::Engine.
struct Config {
  Role role = Role::kClient;
  // ALPN protocols in preference order (ALPN is mandatory with QUIC).
  std::vector<std::string> alpn = {"h3"};
  // Client: the SNI sent and the name the certificate must match.
  std::string server_name = "example.com";
  // Server: the names it holds a certificate for; a ClientHello whose SNI
  // matches none fails certificate selection. Empty: any name.
  std::vector<std::string> certificate_names;
  // Server: certificate chain (DER, leaf first) and the leaf's PKCS#8 key.
  std::vector<std::vector<uint8_t>> certificate_chain;
  std::vector<uint8_t> private_key;
  // Client: trust anchors (DER). verify_peer=false skips verification.
  std::vector<std::vector<uint8_t>> trust_anchors;
  bool verify_peer = true;
  // Client: remember chain verdicts across connections (see Context).
  bool cache_verification = true;
  size_t verification_cache_capacity = 4096;
  // Key-exchange groups in BoringSSL curve-list syntax, preference order.
  // The client sends a key share for the first only, so a server whose list
  // lacks it answers with HelloRetryRequest.
  std::string groups = "X25519";
  // Server: the ticket encryption key (AES-128-GCM). Explicit so that tickets
  // are identical across runs and across server contexts sharing the key.
  std::vector<uint8_t> ticket_key = std::vector<uint8_t>(16, 0x5a);
  // Server: session tickets per connection (0 disables resumption).
  size_t num_tickets = 1;
  // Both: allow 0-RTT (client: attempt with capable tickets; server: accept
  // and issue 0-RTT capable tickets).
  bool enable_0rtt = false;
  // Server: the QUIC early-data context; 0-RTT is accepted only when the
  // ticket was issued under the same bytes (quic_parameter_mismatch
  // otherwise). Must be non-empty for BoringSSL to offer 0-RTT with QUIC.
  std::vector<uint8_t> early_data_context = {'q', 'u', 'i', 'c', 's', 'i', 'm'};
  // Go proposal #74922: pause before the first flight (client: ClientHello;
  // server: ServerHello..Finished) with FirstFlightReady. Only the
  // kProposal74922 model has the pause; the Go models ignore it.
  bool enable_send_first_flight = false;
  // The Go API whose behaviour the engine reproduces.
  ApiModel api_model = ApiModel::kProposal74922;
  // Go 1.23: emit ResumeSession/StoreSession instead of using the context's
  // client session cache.
  bool enable_session_events = false;
  // Client: keep new tickets in the context, keyed by server name, and offer
  // them on later connections (when enable_session_events is off).
  bool use_session_cache = false;
  // Bytes of CRYPTO data buffered per level that BoringSSL is not reading
  // yet; more is CRYPTO_BUFFER_EXCEEDED (0x0d).
  size_t max_buffered_crypto_data = 64 * 1024;
  FaultInjection faults;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_CONFIG_H_
