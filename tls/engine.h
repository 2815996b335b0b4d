// tls::Engine: one synchronous TLS 1.3 handshake for QUIC over BoringSSL,
// modelled on Go's crypto/tls QUICConn plus proposal #74922. No threads and
// no callbacks into the caller: every state transition happens inside the
// call that caused it; the caller then pulls the resulting events with
// NextEvent(). How errors reach the caller depends on Config::api_model
// (below).
//
// Call order (client): [SetTransportParameters] [SetSession] Start
//   -> events (TransportParametersRequired, ResumeSession, FirstFlightReady,
//      WriteData(Initial, ClientHello), SetWriteSecret(Early))
//   then HandleData for every CRYPTO frame payload received.
// Call order (server): [SetTransportParameters] Start, then HandleData. On
//   the ClientHello the server emits TransportParameters (the client's),
//   ResumeSession (with enable_session_events, when the client presents a
//   ticket that opens) and, if its own parameters are not set yet,
//   TransportParametersRequired, and pauses before ServerHello;
//   SetTransportParameters resumes it.
//
// enable_send_first_flight (Go proposal #74922; kProposal74922 only):
//   client: Start() emits FirstFlightReady (after TransportParametersRequired
//     and ResumeSession) and generates nothing. The application may still
//     SetSession (which emits ResumeSession), SetTransportParameters or
//     DeclineEarlyData; SendFirstFlight() builds the ClientHello. Aborting
//     (Abort(), or FaultInjection::abort_before_client_hello which makes
//     SendFirstFlight fail) leaves a local error and nothing was sent.
//   server: after reading the ClientHello it emits TransportParameters,
//     [ResumeSession], [TransportParametersRequired], FirstFlightReady and
//     pauses; SetTransportParameters only records the parameters,
//     DeclineEarlyData refuses 0-RTT, and SendFirstFlight() writes
//     ServerHello..Finished and returns any error raised while doing so
//     (ALPN, signing, an internal failure; missing transport parameters ->
//     internal_error).
//   Misuse: SendFirstFlight() without a pending FirstFlightReady (never
//   enabled, called twice, or with a Go model) returns FailedPrecondition
//   and changes nothing.
//
// API models (Config::api_model; tls/api_model.cc):
//   kProposal74922 (default; Go proposal #74922, CL 693255, not in any Go
//     release): the call that raised an error returns it (Error::ToStatus()),
//     SendFirstFlight() included; one Error event is queued after the events
//     that preceded the failure, minus WriteData BoringSSL had not flushed.
//   kGo121 (Go 1.21 to 1.25, where the handshake runs in a goroutine): no
//     Error event exists and there is no FirstFlightReady. ALPN is
//     negotiated while the ClientHello is read (as Go does), so that error
//     comes back from HandleData. SetTransportParameters cannot fail (Go's
//     returns nothing): an error raised after TransportParametersRequired
//     (writing ServerHello, EncryptedExtensions, Certificate,
//     CertificateVerify, Finished) is kept and returned only by the next
//     HandleData() call; the QUIC stack learns of it only if more CRYPTO
//     data arrives.
//   kGo126 (Go 1.26, QUICErrorEvent, golang/go#75108): no FirstFlightReady;
//     the call that raised the error returns OK, the events queued before it
//     are discarded, and the error arrives once as the Error event from the
//     next NextEvent(); calls after that return the error.
//   In every model later calls return the same error (sticky, as BoringSSL
//   and Go are).
//
// Session tickets: the server holds the NewSessionTicket BoringSSL writes
// until SendSessionTicket(options) (Go's model: WriteData(Application) only
// on request, once per connection); a ticket allows 0-RTT when
// Config::enable_0rtt was on at issuance and options.early_data is set;
// options.extra travels inside the ticket and comes back with the server's
// ResumeSession event (tls/session_ticket.h).
#ifndef QUICSIM_TLS_ENGINE_H_
#define QUICSIM_TLS_ENGINE_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tls/config.h"
#include "tls/context.h"
#include "tls/env.h"
#include "tls/error.h"
#include "tls/event.h"
#include "tls/random.h"
#include "tls/session.h"
#include "tls/session_ticket.h"

namespace quicsim::tls {

// What a connection negotiated (Go's ConnectionState, QUIC subset).
struct ConnectionInfo {
  bool handshake_complete = false;
  uint16_t cipher_suite = 0;  // IANA id
  uint16_t group = 0;         // IANA id of the key-exchange group
  std::string alpn;
  std::string server_name;  // SNI (server: as received)
  bool resumed = false;
  bool early_data_accepted = false;
  std::string early_data_reason;  // BoringSSL's reason string
  bool hello_retry_request = false;
  std::vector<std::vector<uint8_t>> peer_certificates;  // DER, leaf first
};

// Receives one SSLKEYLOGFILE line (RFC 9850: "<LABEL> <client_random hex>
// <secret hex>", no line terminator), e.g. CLIENT_HANDSHAKE_TRAFFIC_SECRET,
// as BoringSSL derives each secret. Called synchronously from inside the
// engine call that derived it; it must not call back into the engine.
using KeylogSink = std::function<void(std::string_view line)>;

// One TLS connection; see the file comment.
class Engine {
 public:
  // Creates an engine for `context` (which must outlive it). `random` (not
  // owned, must outlive the engine) supplies every random byte BoringSSL
  // draws inside this engine's calls; `clock` its notion of time.
  static std::unique_ptr<Engine> Create(Context* context, RandomStream* random,
                                        Clock clock);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Starts the handshake (client: see the file comment; server: only marks
  // the engine started).
  absl::Status Start();
  // Feeds CRYPTO data received at `level`. Data for a level BoringSSL does
  // not read yet is buffered (Config::max_buffered_crypto_data per level,
  // beyond which CRYPTO_BUFFER_EXCEEDED) and fed once the level is reached.
  absl::Status HandleData(Level level, absl::Span<const uint8_t> data);
  // Pops the next event; kind kNone when the queue is empty.
  Event NextEvent();
  // Sets this side's transport parameters (client: before the ClientHello;
  // server: before ServerHello). May resume a paused handshake.
  absl::Status SetTransportParameters(absl::Span<const uint8_t> params);
  // Proposal #74922: produce the first flight held back at FirstFlightReady.
  absl::Status SendFirstFlight();
  // Server, after HandshakeDone: emits the held NewSessionTicket as
  // WriteData(Application), rewritten as `options` say (Go's
  // QUICSessionTicketOptions); no event when tickets are disabled. Callable
  // once: a second call returns FailedPrecondition (as Go's does).
  absl::Status SendSessionTicket(const SessionTicketOptions& options);
  absl::Status SendSessionTicket() {
    return SendSessionTicket(SessionTicketOptions());
  }
  // Client: offers `session` (before the ClientHello is built). After
  // Start() (at FirstFlightReady) it emits ResumeSession, as Go does for
  // the session it picks.
  absl::Status SetSession(const Session& session);
  // The answer to ResumeSession (Go: SessionState.EarlyData = false): do not
  // attempt (client) or accept (server) 0-RTT on this connection. Valid
  // before the client's ClientHello is built, or while the server is paused
  // before ServerHello; FailedPrecondition otherwise.
  absl::Status DeclineEarlyData();
  // Client: stores `session` in the context's session cache (Go's
  // QUICConn.StoreSession, used with enable_session_events).
  absl::Status StoreSession(const Session& session);
  // Ends the connection with an error the application chose (e.g. invalid
  // transport parameters: Error::Transport(0x08, ...)): queues the Error
  // event and returns the error.
  absl::Status Abort(Error error);
  // Releases the TLS state; later calls fail. No alert is sent (in QUIC the
  // close travels as CONNECTION_CLOSE).
  void Close();
  // What was negotiated so far.
  ConnectionInfo ConnectionState() const;
  // ConnectionState().resumed / .early_data_accepted without copying the
  // rest (the peer's certificates) out.
  bool resumed() const;
  bool early_data_accepted() const;
  // The determinism level of this engine's configuration.
  Determinism determinism() const { return context_->determinism(); }
  // Whether the engine failed, and with what (valid when failed()). Under
  // kGo121 the failure may not have been reported to the caller yet.
  bool failed() const { return failed_; }
  const Error& error() const { return error_; }
  // How long ago (by the engine's clock) it failed; zero if it did not.
  // Lets the stack's error path be judged against the failure itself,
  // whatever the engine reported to it and when.
  absl::Duration SinceFailure() const {
    return failed_ ? clock_() - failed_at_ : absl::ZeroDuration();
  }
  // Whether the ClientHello had left before the failure (client: it was
  // built; server: always, the failure followed one).
  bool client_hello_sent() const {
    return is_server() ? started_ : client_hello_sent_;
  }

  // Sends this engine's secrets, as SSLKEYLOGFILE lines, to `sink` (empty:
  // stop). Secrets derived before the call are not repeated, so set it
  // before Start().
  void set_keylog_sink(KeylogSink sink);
  // BoringSSL callbacks (engine.cc); not for callers.
  struct Callbacks;

 private:
  Engine(Context* context, RandomStream* random, Clock clock);

  bool is_server() const { return config().role == Role::kServer; }
  const Config& config() const { return context_->config(); }

  // Which public call is returning (for the API model).
  enum class Call {
    kStart,
    kHandleData,
    kSetTransportParameters,
    kSendFirstFlight,
  };
  // Applies Config::api_model to what `call` returns (api_model.cc).
  absl::Status Report(Call call, absl::Status status);
  // Whether FirstFlightReady pauses this engine (kProposal74922 only).
  bool first_flight_enabled() const;
  // Server, reading the ClientHello: ResumeSession for a ticket that opens.
  void MaybeEmitServerResumeSession(const SSL_CLIENT_HELLO* client_hello);

  absl::Status HandleDataInternal(Level level, absl::Span<const uint8_t> data);
  absl::Status SetTransportParametersInternal(absl::Span<const uint8_t> params);
  absl::Status SendFirstFlightInternal();
  // The server's ALPN list (a mismatching one under FaultInjection).
  const std::vector<std::string>& alpn() const;
  // A held ticket re-sealed with `extra` after its session.
  absl::StatusOr<std::vector<uint8_t>> ResealTicket(
      absl::Span<const uint8_t> ticket,
      const std::vector<std::vector<uint8_t>>& extra) const;
  absl::Status Drive();
  absl::Status SendClientHello();
  // The guard every public call starts with: FailedPrecondition on a closed
  // engine, the stored error on a failed one, OK otherwise.
  absl::Status Usable() const;
  absl::Status Fail(Error error);
  Error ErrorFromBoringSSL(const char* what);

  // Event queue helpers.
  Event& Push(EventKind kind);
  void AddHandshakeData(Level level, const uint8_t* data, size_t len);
  void Flush() { unflushed_.clear(); }
  void MaybeEmitPeerTransportParameters();

  Context* context_;
  RandomStream* random_;
  Clock clock_;
  bssl::UniquePtr<SSL> ssl_;
  std::deque<Event> events_;
  struct Unflushed {
    size_t index;
    size_t prior_size;
  };
  std::vector<Unflushed> unflushed_;
  std::vector<uint8_t> held_tickets_;
  std::vector<uint8_t> buffered_[kNumLevels];

  bool started_ = false;
  bool closed_ = false;
  bool failed_ = false;
  absl::Time failed_at_;
  Error error_;
  std::optional<Error> forced_error_;  // set by a callback before failing
  int pending_alert_ = -1;
  bool tp_set_ = false;
  bool waiting_tp_ = false;
  bool waiting_first_flight_ = false;
  bool paused_ = false;             // server: select-certificate pause
  bool select_cert_done_ = false;   // server: first callback ran
  bool client_hello_sent_ = false;  // client
  bool handshake_done_ = false;
  bool peer_tp_emitted_ = false;
  bool fresh_failure_ = false;  // Fail() ran in the current call
  bool ticket_sent_ = false;    // SendSessionTicket was called
  Session offered_session_;
  KeylogSink keylog_sink_;

  friend struct Callbacks;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_ENGINE_H_
