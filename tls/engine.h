// tls::Engine: one synchronous TLS 1.3 handshake for QUIC over BoringSSL,
// modelled on Go's crypto/tls QUICConn plus proposal #74922. No threads and
// no callbacks into the caller: every state transition happens inside the
// call that caused it, which returns any error; the caller then pulls the
// resulting events with NextEvent().
//
// Call order (client): [SetTransportParameters] [SetSession] Start
//   -> events (ResumeSession, TransportParametersRequired, FirstFlightReady,
//      WriteData(Initial, ClientHello), SetWriteSecret(Early))
//   then HandleData for every CRYPTO frame payload received.
// Call order (server): [SetTransportParameters] Start, then HandleData. On
//   the ClientHello the server emits TransportParameters (the client's) and,
//   if its own are not set yet, TransportParametersRequired and pauses before
//   ServerHello; SetTransportParameters resumes it and returns whatever
//   ServerHello/EncryptedExtensions generation raises.
//
// enable_send_first_flight (Go proposal #74922):
//   client: Start() emits FirstFlightReady (after ResumeSession/
//     TransportParametersRequired) and generates nothing. The application may
//     still SetSession/SetTransportParameters; SendFirstFlight() builds the
//     ClientHello. Aborting (Abort(), or FaultInjection::
//     abort_before_client_hello which makes SendFirstFlight fail) leaves a
//     local error and nothing was sent.
//   server: after reading the ClientHello it emits TransportParameters,
//     [TransportParametersRequired], FirstFlightReady and pauses;
//     SetTransportParameters only records the parameters, and
//     SendFirstFlight() writes ServerHello..Finished and returns any error
//     raised while doing so (missing transport parameters -> internal_error).
//
// Errors: the failing call returns an absl::Status made by Error::ToStatus()
// (Error::FromStatus / QuicErrorCode recover alert and QUIC code); the
// engine queues one Error event after the events that preceded the failure,
// minus WriteData that BoringSSL had not flushed, and queues nothing after
// it. Every later call returns the same error.
//
// Session tickets: the server holds the NewSessionTicket BoringSSL writes
// until SendSessionTicket() (Go's model: WriteData(Application) only on
// request); whether a ticket allows 0-RTT is Config::enable_0rtt at issuance.
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
#include "absl/types/span.h"
#include "tls/config.h"
#include "tls/context.h"
#include "tls/env.h"
#include "tls/error.h"
#include "tls/event.h"
#include "tls/random.h"
#include "tls/session.h"

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
  // WriteData(Application); no event when tickets are disabled.
  absl::Status SendSessionTicket();
  // Client: offers `session` (before the ClientHello is built).
  absl::Status SetSession(const Session& session);
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
  // Whether the engine failed (an Error event was queued).
  bool failed() const { return failed_; }

  // Sends this engine's secrets, as SSLKEYLOGFILE lines, to `sink` (empty:
  // stop). Secrets derived before the call are not repeated, so set it
  // before Start(). Overrides the process-wide sink for this engine.
  void set_keylog_sink(KeylogSink sink);
  // Process-wide fallback for engines without their own sink (tests and
  // tools that cannot reach the engine); empty to stop. Consulted as each
  // secret is derived; set it before creating the engines it should cover.
  static void SetDefaultKeylogSink(KeylogSink sink);

  // BoringSSL callbacks (engine.cc); not for callers.
  struct Callbacks;

 private:
  Engine(Context* context, RandomStream* random, Clock clock);

  bool is_server() const { return config().role == Role::kServer; }
  const Config& config() const { return context_->config(); }

  absl::Status Drive();
  absl::Status SendClientHello();
  absl::Status Fail(Error error);
  Error ErrorFromBoringSSL(const char* what);
  absl::Status FeedBuffered();

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
  Session offered_session_;
  KeylogSink keylog_sink_;

  friend struct Callbacks;
};

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_ENGINE_H_
