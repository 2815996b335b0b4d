// A third-party QUIC peer on the simulator: Debian's libngtcp2 0.12 with its
// GnuTLS crypto helper (libngtcp2_crypto_gnutls), hosted as a client or a
// server endpoint so our own endpoints can be tested against a stack nobody
// here wrote.
//
// ngtcp2 is I/O-free: the endpoint feeds it every delivered datagram with
// ngtcp2_conn_read_pkt, drains ngtcp2_conn_write_pkt until it has nothing
// more, and keeps one sim::Alarm at ngtcp2_conn_get_expiry, where it calls
// ngtcp2_conn_handle_expiry. Every ngtcp2_tstamp is the virtual time in
// nanoseconds (plus a fixed offset, so no timestamp is ever 0). The closing
// and draining periods (RFC 9000 §10.2) are the application's job in ngtcp2
// 0.12; the endpoint keeps them for three PTOs, answering packets in the
// closing period with its stored CONNECTION_CLOSE datagram.
//
// TLS is GnuTLS (TLS 1.3 only, X25519 only, no middlebox compatibility mode)
// with the test PKI's Ed25519 certificate and PKCS#8 key (DER) on the server
// and its root as the client's only trust anchor; certificate validity is
// checked against tls::VirtualEpoch() plus virtual time: every call into
// ngtcp2/GnuTLS runs inside a ScopedGnutlsClock (gnutls_clock.h), which also
// puts ticket ages and the anti-replay window on the virtual clock. With a
// session cache (ngtcp2_session_cache.h) the endpoint issues, stores and
// resumes session tickets and sends or accepts 0-RTT
// (ngtcp2_endpoint_resumption.cc).
//
// Determinism. Everything this endpoint decides is drawn from its seeded
// streams: ngtcp2's rand callback (settings.rand_ctx), the connection IDs
// and stateless-reset tokens (get_new_connection_id, the client's first
// DCID/SCID, the server's SCID), PATH_CHALLENGE data and the Retry token
// (our own format, unlike ngtcp2_crypto_generate_retry_token). GnuTLS draws
// the ClientHello random, the X25519 key shares and any ticket material from
// gnutls_rnd, which gnutls_rand_hook.h interposes: every call into
// ngtcp2/GnuTLS runs inside a tls::ScopedEnv with this endpoint's
// gnutls_random_ stream, so a pair with an ngtcp2 side is byte-for-byte
// reproducible when GnutlsRndInterposed() (Ngtcp2ByteLevel()).
//
// The observer sees every datagram sent (with the encryption levels of its
// coalesced packets, parsed from the long headers) and received, every packet
// sent, address validation on the server (a valid Retry token at creation, or
// the first Handshake packet ngtcp2 accepted) and the end of the
// closing/draining period, so the pair oracles' amplification and
// sent-after-close checks run on an ngtcp2 server too. ngtcp2 0.12 has no
// key-discard callback, so OnKeysDiscarded is never reported.
#ifndef QUICSIM_ENDPOINTS_NGTCP2_ENDPOINT_H_
#define QUICSIM_ENDPOINTS_NGTCP2_ENDPOINT_H_

#include <netinet/in.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "endpoints/connection.h"
#include "endpoints/handshake_pair.h"
#include "endpoints/ngtcp2_session_cache.h"
#include "endpoints/perspective.h"
#include "endpoints/trace_text.h"
#include "endpoints/verdict.h"
#include "sim/alarm.h"
#include "sim/datagram.h"
#include "sim/network.h"
#include "sim/random.h"
#include "sim/scheduler.h"
#include "sim/trace.h"
#include "tls/random.h"

namespace quicsim::endpoints {

class GnutlsSession;  // ngtcp2_gnutls_session.h

// Faults the ngtcp2 side can inject (mirrors EndpointFaults and the TLS
// ALPN fault, where ngtcp2 0.12 allows them).
struct Ngtcp2Faults {
  // Offer / accept only the ALPN "quicsim-other" instead of options.alpn. A
  // GnuTLS server with a mandatory ALPN then fails the handshake with
  // no_application_protocol (0x178).
  bool alpn_mismatch = false;
  // Send max_udp_payload_size 1000 (below the RFC 9000 §18.2 minimum of
  // 1200) in our transport parameters; ngtcp2 encodes it unchecked, the peer
  // must close with TRANSPORT_PARAMETER_ERROR.
  bool invalid_transport_parameters = false;
  // As soon as the peer's transport parameters are known, the application
  // refuses them and closes with TRANSPORT_PARAMETER_ERROR (0x08).
  bool refuse_peer_transport_parameters = false;
};

// Configuration of an ngtcp2 endpoint.
struct Ngtcp2EndpointOptions {
  sim::Address local;
  // Client: the server's address. Server: unused (the peer is whoever sent
  // the first acceptable Initial).
  sim::Address peer;
  // Server: certificate chain (leaf first) and the leaf's PKCS#8 key, DER.
  std::vector<std::vector<uint8_t>> certificate_chain;
  std::vector<uint8_t> private_key;
  // Client: the DER trust anchor. Empty: the server's certificate is not
  // verified.
  std::vector<uint8_t> trust_anchor;
  std::vector<std::string> alpn = {"h3"};
  std::string server_name = "example.com";
  // Our max_idle_timeout transport parameter (also the handshake timeout).
  sim::Duration idle_timeout = sim::Duration::Seconds(30);
  // Largest UDP payload sent (PMTUD off).
  size_t max_datagram_size = 1200;
  size_t connection_id_length = 8;
  // Server: answer a token-less Initial with a Retry and validate the token
  // of the next one (RFC 9000 §8.1.2).
  bool retry = false;
  // Client: the version of the first Initial (0: v1). An unsupported one
  // draws a Version Negotiation, after which the client starts over with
  // v1 if the server offers it.
  uint32_t first_version = 0;
  Ngtcp2Faults faults;
  // Resumption (ngtcp2_session_cache.h): the state this endpoint shares with
  // the other connection of its pair (priming or measured). Null: no
  // tickets (GNUTLS_NO_TICKETS).
  std::shared_ptr<Ngtcp2SessionCache> session_cache;
  // With session_cache. Server: issue tickets that allow 0-RTT and accept
  // 0-RTT (GNUTLS_ENABLE_EARLY_DATA). Client: send the request in 0-RTT when
  // resuming a session that allows it.
  bool early_data = false;
  // Client: done only once a session ticket arrived (priming handshake).
  bool wait_for_session_ticket = false;
  // Client: sent on the first bidirectional stream (with FIN), in 0-RTT if
  // early_data allows it, else (or again, if the server rejects 0-RTT) in
  // 1-RTT. Empty: no stream.
  std::vector<uint8_t> request;
};

// What the endpoint does when ngtcp2_conn_read_pkt returns `liberr` (the
// README's table "ngtcp2 return codes and verdicts").
enum class ReadAction {
  kIgnore,            // a packet was dropped; no verdict
  kDraining,          // the peer closed: closed_received, draining period
  kDiscardAndAccept,  // server: delete the connection object (a Retry for
                      // ERR_RETRY), accept the next Initial; no verdict
  kDrop,              // the connection is gone silently: final verdict
  kRestart,           // client: Version Negotiation received; a new
                      // connection attempt with a version the server
                      // offered (RFC 9000 §6.2); no verdict
  kClose,             // send CONNECTION_CLOSE: closed_sent, closing period
};
ReadAction ReadErrorAction(Perspective perspective, int liberr);

// True when ngtcp2 sides are byte-for-byte reproducible in this process
// (gnutls_rnd is interposed); otherwise event-level only.
bool Ngtcp2ByteLevel();

// One ngtcp2 connection at one simulated address; the common part of
// Ngtcp2ClientEndpoint and Ngtcp2ServerEndpoint.
class Ngtcp2Endpoint : public sim::DatagramReceiver, public ForeignEndpoint {
 public:
  ~Ngtcp2Endpoint() override;
  Ngtcp2Endpoint(const Ngtcp2Endpoint&) = delete;
  Ngtcp2Endpoint& operator=(const Ngtcp2Endpoint&) = delete;

  // Registers the address; a client also sends its first flight.
  absl::Status Start() override;
  void OnDatagram(sim::Datagram datagram) override;
  // Stops the timer and ignores further input (the run is over).
  void Stop() override;

  const Verdict& verdict() const override { return verdict_; }
  // True once the verdict is final and any closing/draining period is over.
  bool done() const override { return done_; }
  bool holds_connection() const override { return conn_ != nullptr; }
  Perspective perspective() const { return perspective_; }
  uint64_t datagrams_sent() const { return datagrams_sent_; }
  uint64_t datagrams_received() const { return datagrams_received_; }
  // Server: Retry packets sent.
  uint64_t retries_sent() const { return retries_sent_; }
  // Server: connection objects deleted at ngtcp2's request (ERR_DROP_CONN,
  // ERR_RETRY) before a fresh Initial was accepted.
  uint64_t connections_discarded() const { return connections_discarded_; }
  // Server: Version Negotiation packets sent (a client offered a version
  // ngtcp2 does not support).
  uint64_t version_negotiations_sent() const {
    return version_negotiations_sent_;
  }
  // Called once when done() becomes true.
  void set_on_done(absl::AnyInvocable<void()> on_done) override {
    on_done_ = std::move(on_done);
  }

 protected:
  Ngtcp2Endpoint(Perspective perspective, Ngtcp2EndpointOptions options,
                 sim::Scheduler* scheduler, sim::Network* network,
                 uint64_t rng_seed, std::string actor, sim::TraceSink* trace,
                 ConnectionObserver* observer);

 private:
  struct Callbacks;

  enum class State { kIdle, kHandshake, kConfirmed, kClosing, kDraining };

  absl::Status StartClient();
  // The path between this endpoint's and the peer's addresses.
  ngtcp2_path Path();
  // Callbacks both roles install (the role-specific ones are added after).
  static ngtcp2_callbacks CommonCallbacks();
  // Server: handles a datagram before the connection exists.
  void Accept(sim::Datagram& datagram);
  void SendVersionNegotiation(const ngtcp2_version_cid& vc);
  void SendRetry(const ngtcp2_pkt_hd& hd, const sim::Address& client);
  void DiscardServerConnection(int liberr, const sim::Datagram& datagram);
  void DropConnection(int liberr);
  // Client: a new connection attempt after Version Negotiation.
  void RestartAfterVersionNegotiation();
  absl::Status CreateServerConnection(const ngtcp2_pkt_hd& hd,
                                      const ngtcp2_cid& original_dcid,
                                      bool validated_by_token);
  absl::Status InitTls();
  void FillSettings(ngtcp2_settings* settings) const;
  void FillTransportParams(ngtcp2_transport_params* params);
  ngtcp2_cid NewCid(size_t length);
  std::vector<uint8_t> MakeRetryToken(const ngtcp2_cid& odcid,
                                      const sim::Address& client) const;
  std::optional<ngtcp2_cid> ValidateRetryToken(
      absl::Span<const uint8_t> token, const sim::Address& client) const;

  void ReadDatagram(const sim::Datagram& datagram);
  void WritePackets();
  // Client: opens the request's stream when it may, then writes one packet
  // (with request data if any is left). Returns ngtcp2_conn_writev_stream's
  // result.
  ngtcp2_ssize WriteRequestPacket(ngtcp2_path* path, ngtcp2_pkt_info* pi,
                                  uint8_t* buf, size_t max);
  // Client, at handshake completion: records resumption in the verdict and,
  // when the server rejected 0-RTT, tells ngtcp2 and resends the request.
  void OnClientHandshakeCompleted();
  // gnutls_init flags for resumption: GNUTLS_NO_TICKETS without a session
  // cache, GNUTLS_ENABLE_EARLY_DATA when 0-RTT may be used.
  unsigned ResumptionFlags() const;
  // End of InitTls: installs the session cache's ticket key / stored session.
  absl::Status ConfigureResumption(gnutls_session_t session);
  // Client, after ngtcp2_conn_client_new: the remembered transport
  // parameters for 0-RTT when GnuTLS offers early data.
  void PrepareEarlyData();
  // Sets the verdict's resumed / early_data_accepted from GnuTLS.
  void RecordResumption();
  void OnAlarm();
  void ArmAlarm();
  // Closes with ngtcp2 error `liberr` (mapped as the ngtcp2 examples do:
  // the TLS alert for NGTCP2_ERR_CRYPTO, else the inferred transport code).
  void CloseWithLibError(int liberr);
  void CloseWithError(const ngtcp2_connection_close_error& ccerr,
                      absl::string_view reason);
  void EnterDraining();
  void OnClosingPeriodEnd();
  void Transmit(const uint8_t* data, size_t size, bool has_close);
  void SetVerdict(Verdict::Kind kind, uint64_t code, absl::string_view reason);
  void MarkDone();
  void MaybeValidateAddress(const sim::Datagram& datagram);
  uint64_t Ts() const;
  // An event of ngtcp2's own, worded by this adapter (kind is a literal).
  void Trace(const char* kind, std::string details);
  // A typed event shared with quicsim's endpoint (verdict, start, drops).
  void Trace(const ConnectionEvent& event);

  Perspective perspective_;
  Ngtcp2EndpointOptions options_;
  sim::Scheduler* scheduler_;
  sim::Network* network_;
  std::string actor_;
  sim::TraceSink* trace_;
  // Renders this side's events as trace lines, under actor_.
  TextTracer tracer_;
  ConnectionObserver* observer_;
  // Streams: ngtcp2's rand callback, connection IDs/tokens, challenges.
  sim::Rng rand_rng_;
  sim::Rng cid_rng_;
  // What GnuTLS draws through gnutls_rnd (gnutls_rand_hook.h), installed
  // around every call into ngtcp2/GnuTLS.
  tls::ChaChaRandom gnutls_random_;

  ngtcp2_conn* conn_ = nullptr;
  ngtcp2_crypto_conn_ref conn_ref_;
  std::unique_ptr<GnutlsSession> tls_;
  sockaddr_in local_sa_{};
  sockaddr_in remote_sa_{};
  sim::Address remote_;
  sim::Alarm alarm_;

  State state_ = State::kIdle;
  Verdict verdict_;
  sim::Time start_time_;
  bool registered_ = false;
  bool stopped_ = false;
  bool done_ = false;
  bool address_validated_ = false;
  bool params_checked_ = false;
  absl::AnyInvocable<void()> on_done_;

  // Server Retry state.
  std::optional<ngtcp2_cid> retry_scid_;
  uint64_t retries_sent_ = 0;
  // Set once ngtcp2 asked for a Retry (ERR_RETRY) though options.retry is off.
  bool retry_required_ = false;
  uint64_t connections_discarded_ = 0;
  uint64_t version_negotiations_sent_ = 0;
  // Client: versions of the Version Negotiation packet received, and
  // whether the client already started over once.
  std::vector<uint32_t> offered_versions_;
  bool restarted_ = false;

  // Resumption (ngtcp2_session_cache.h). Client: a ticket arrived; 0-RTT
  // was attempted; the request's stream and how much of it was written.
  absl::AnyInvocable<void()> on_ticket_;
  bool ticket_received_ = false;
  bool early_data_attempted_ = false;
  int64_t request_stream_ = -1;
  size_t request_written_ = 0;
  bool request_fin_written_ = false;

  // The stored CONNECTION_CLOSE datagram (closing period).
  std::vector<uint8_t> close_datagram_;
  int close_responses_ = 0;

  uint64_t datagrams_sent_ = 0;
  uint64_t datagrams_received_ = 0;
};

// An ngtcp2 client: connects to options.peer on Start().
class Ngtcp2ClientEndpoint : public Ngtcp2Endpoint {
 public:
  Ngtcp2ClientEndpoint(Ngtcp2EndpointOptions options, sim::Scheduler* scheduler,
                       sim::Network* network, uint64_t rng_seed,
                       std::string actor, sim::TraceSink* trace,
                       ConnectionObserver* observer)
      : Ngtcp2Endpoint(Perspective::kClient, std::move(options), scheduler,
                       network, rng_seed, std::move(actor), trace, observer) {}
};

// An ngtcp2 server for one connection: created on the first acceptable
// Initial (after a Retry round trip if options.retry).
class Ngtcp2ServerEndpoint : public Ngtcp2Endpoint {
 public:
  Ngtcp2ServerEndpoint(Ngtcp2EndpointOptions options, sim::Scheduler* scheduler,
                       sim::Network* network, uint64_t rng_seed,
                       std::string actor, sim::TraceSink* trace,
                       ConnectionObserver* observer)
      : Ngtcp2Endpoint(Perspective::kServer, std::move(options), scheduler,
                       network, rng_seed, std::move(actor), trace, observer) {}
};

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_NGTCP2_ENDPOINT_H_
