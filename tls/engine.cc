#include "tls/engine.h"

#include <openssl/err.h>
#include <openssl/pool.h>
#include <openssl/tls1.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "tls/client_hello.h"

namespace quicsim::tls {

struct Engine::Callbacks {
  static Engine* From(const SSL* ssl) {
    return static_cast<Engine*>(SSL_get_app_data(ssl));
  }
  static Context* ContextOf(const SSL* ssl) {
    return static_cast<Context*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  }

  static int SetSecret(SSL* ssl, EventKind kind,
                       enum ssl_encryption_level_t level,
                       const SSL_CIPHER* cipher, const uint8_t* secret,
                       size_t secret_len) {
    Engine* e = From(ssl);
    e->MaybeEmitPeerTransportParameters();
    Event& ev = e->Push(kind);
    ev.level = static_cast<Level>(level);
    ev.cipher_suite = SSL_CIPHER_get_protocol_id(cipher);
    ev.data.assign(secret, secret + secret_len);
    return 1;
  }
  static int SetReadSecret(SSL* ssl, enum ssl_encryption_level_t level,
                           const SSL_CIPHER* cipher, const uint8_t* secret,
                           size_t secret_len) {
    return SetSecret(ssl, EventKind::kSetReadSecret, level, cipher, secret,
                     secret_len);
  }
  static int SetWriteSecret(SSL* ssl, enum ssl_encryption_level_t level,
                            const SSL_CIPHER* cipher, const uint8_t* secret,
                            size_t secret_len) {
    return SetSecret(ssl, EventKind::kSetWriteSecret, level, cipher, secret,
                     secret_len);
  }
  static int AddHandshakeData(SSL* ssl, enum ssl_encryption_level_t level,
                              const uint8_t* data, size_t len) {
    Engine* e = From(ssl);
    e->MaybeEmitPeerTransportParameters();
    if (e->is_server()) {
      if (level == ssl_encryption_handshake &&
          e->config().faults.fail_server_flight) {
        e->forced_error_ =
            Error::Alert(kAlertInternalError,
                         "injected failure while writing EncryptedExtensions");
        return 0;
      }
      if (level == ssl_encryption_application) {
        // NewSessionTicket: held until SendSessionTicket().
        e->held_tickets_.insert(e->held_tickets_.end(), data, data + len);
        return 1;
      }
    }
    e->AddHandshakeData(static_cast<Level>(level), data, len);
    return 1;
  }
  static int FlushFlight(SSL* ssl) {
    From(ssl)->Flush();
    return 1;
  }
  static int SendAlert(SSL* ssl, enum ssl_encryption_level_t level,
                       uint8_t alert) {
    Engine* e = From(ssl);
    if (e->pending_alert_ < 0) e->pending_alert_ = alert;
    return 1;
  }

  static enum ssl_select_cert_result_t SelectCertificate(
      const SSL_CLIENT_HELLO* client_hello) {
    Engine* e = From(client_hello->ssl);
    if (e->select_cert_done_) {
      return e->paused_ ? ssl_select_cert_retry : ssl_select_cert_success;
    }
    e->select_cert_done_ = true;
    const Config& config = e->config();
    // Go negotiates ALPN while reading the ClientHello, before it asks for
    // transport parameters; the Go models fail here as Go would.
    if (config.api_model != ApiModel::kProposal74922 &&
        !ClientHelloOffersAlpn(client_hello, e->alpn())) {
      e->forced_error_ =
          Error::Alert(kAlertNoApplicationProtocol,
                       "no application protocol in common (ClientHello)");
      return ssl_select_cert_error;
    }
    const char* sni =
        SSL_get_servername(client_hello->ssl, TLSEXT_NAMETYPE_host_name);
    if (config.faults.no_certificate_for_sni) return ssl_select_cert_error;
    if (!config.certificate_names.empty() &&
        (sni == nullptr || std::find(config.certificate_names.begin(),
                                     config.certificate_names.end(),
                                     sni) == config.certificate_names.end())) {
      return ssl_select_cert_error;
    }
    const uint8_t* params = nullptr;
    size_t params_len = 0;
    if (SSL_early_callback_ctx_extension_get(
            client_hello, TLSEXT_TYPE_quic_transport_parameters, &params,
            &params_len)) {
      if (config.faults.refuse_peer_transport_parameters) {
        e->forced_error_ =
            Error::Transport(kTransportParameterError,
                             "application refused the client's transport "
                             "parameters (injected)");
        return ssl_select_cert_error;
      }
      Event& ev = e->Push(EventKind::kTransportParameters);
      ev.data.assign(params, params + params_len);
      e->peer_tp_emitted_ = true;
    }
    // (Without the extension BoringSSL fails later with missing_extension.)
    if (config.enable_session_events) {
      e->MaybeEmitServerResumeSession(client_hello);
    }
    bool pause = false;
    if (!e->tp_set_) {
      e->Push(EventKind::kTransportParametersRequired);
      e->waiting_tp_ = true;
      pause = true;
    }
    if (e->first_flight_enabled()) {
      e->Push(EventKind::kFirstFlightReady);
      e->waiting_first_flight_ = true;
      pause = true;
    }
    if (pause) {
      e->paused_ = true;
      return ssl_select_cert_retry;
    }
    return ssl_select_cert_success;
  }

  static int SelectAlpn(SSL* ssl, const uint8_t** out, uint8_t* out_len,
                        const uint8_t* in, unsigned in_len, void* arg) {
    if (SelectAlpnFrom(From(ssl)->alpn(), in, in_len, out, out_len)) {
      return SSL_TLSEXT_ERR_OK;
    }
    // With QUIC, BoringSSL turns this into no_application_protocol (120).
    return SSL_TLSEXT_ERR_NOACK;
  }

  static enum ssl_verify_result_t Verify(SSL* ssl, uint8_t* out_alert) {
    Engine* e = From(ssl);
    e->MaybeEmitPeerTransportParameters();
    switch (e->config().faults.verify) {
      case FaultInjection::Verify::kUntrusted:
        *out_alert = kAlertBadCertificate;
        return ssl_verify_invalid;
      case FaultInjection::Verify::kBadSignature:
        *out_alert = kAlertDecryptError;
        return ssl_verify_invalid;
      case FaultInjection::Verify::kNone:
        break;
    }
    return e->context_->VerifyChain(SSL_get0_peer_certificates(ssl),
                                    e->config().server_name, CurrentTime(),
                                    out_alert)
               ? ssl_verify_ok
               : ssl_verify_invalid;
  }

  static int NewSession(SSL* ssl, SSL_SESSION* session) {
    Engine* e = From(ssl);
    const uint8_t* params = nullptr;
    size_t params_len = 0;
    SSL_get_peer_quic_transport_params(ssl, &params, &params_len);
    Session s(session, std::vector<uint8_t>(params, params + params_len));
    if (e->config().enable_session_events) {
      e->Push(EventKind::kStoreSession).session = std::move(s);
    } else if (e->config().use_session_cache) {
      e->context_->StoreSession(e->config().server_name, std::move(s));
    }
    return 1;  // we took the reference
  }

  static void Keylog(const SSL* ssl, const char* line) {
    Engine* e = From(ssl);
    if (e == nullptr) return;
    if (e->keylog_sink_) e->keylog_sink_(line);
  }

  static void CurrentTimeCb(const SSL* ssl, struct timeval* out_clock) {
    *out_clock = absl::ToTimeval(CurrentTime());
  }

  static size_t TicketMaxOverhead(SSL* ssl) {
    return ContextOf(ssl)->TicketOverhead();
  }
  static int TicketSeal(SSL* ssl, uint8_t* out, size_t* out_len,
                        size_t max_out_len, const uint8_t* in, size_t in_len) {
    return ContextOf(ssl)->SealTicket(out, out_len, max_out_len, in, in_len);
  }
  static enum ssl_ticket_aead_result_t TicketOpen(SSL* ssl, uint8_t* out,
                                                  size_t* out_len,
                                                  size_t max_out_len,
                                                  const uint8_t* in,
                                                  size_t in_len) {
    // ResumeSession was emitted while the ClientHello was read (see
    // MaybeEmitServerResumeSession), before the pause where it is answered.
    if (!ContextOf(ssl)->OpenTicket(out, out_len, max_out_len, in, in_len)) {
      return ssl_ticket_aead_ignore_ticket;
    }
    // BoringSSL gets the session without SendSessionTicket's extra data.
    size_t session_len = 0;
    std::vector<std::vector<uint8_t>> extra;
    if (SplitTicketExtra(absl::MakeConstSpan(out, *out_len), &session_len,
                         &extra)) {
      *out_len = session_len;
    }
    return ssl_ticket_aead_success;
  }
};

namespace internal {

void InstallEngineCallbacks(SSL_CTX* ctx, const Config& config) {
  static const SSL_QUIC_METHOD kQuicMethod = {
      &Engine::Callbacks::SetReadSecret,    &Engine::Callbacks::SetWriteSecret,
      &Engine::Callbacks::AddHandshakeData, &Engine::Callbacks::FlushFlight,
      &Engine::Callbacks::SendAlert,
  };
  static const SSL_TICKET_AEAD_METHOD kTicketMethod = {
      &Engine::Callbacks::TicketMaxOverhead,
      &Engine::Callbacks::TicketSeal,
      &Engine::Callbacks::TicketOpen,
  };
  SSL_CTX_set_quic_method(ctx, &kQuicMethod);
  SSL_CTX_set_current_time_cb(ctx, &Engine::Callbacks::CurrentTimeCb);
  if (config.role == Role::kServer) {
    SSL_CTX_set_select_certificate_cb(ctx,
                                      &Engine::Callbacks::SelectCertificate);
    SSL_CTX_set_alpn_select_cb(ctx, &Engine::Callbacks::SelectAlpn, nullptr);
    SSL_CTX_set_ticket_aead_method(ctx, &kTicketMethod);
  } else {
    SSL_CTX_set_custom_verify(
        ctx, config.verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
        &Engine::Callbacks::Verify);
    SSL_CTX_sess_set_new_cb(ctx, &Engine::Callbacks::NewSession);
  }
}

}  // namespace internal

Engine::Engine(Context* context, RandomStream* random, Clock clock)
    : context_(context), random_(random), clock_(std::move(clock)) {}

Engine::~Engine() {
  ScopedEnv env(random_, &clock_);
  ssl_.reset();
}

std::unique_ptr<Engine> Engine::Create(Context* context, RandomStream* random,
                                       Clock clock) {
  std::unique_ptr<Engine> e(new Engine(context, random, std::move(clock)));
  ScopedEnv env(e->random_, &e->clock_);
  e->ssl_.reset(SSL_new(context->ssl_ctx()));
  QUICSIM_CHECK(e->ssl_ != nullptr);
  SSL_set_app_data(e->ssl_.get(), e.get());
  const Config& config = context->config();
  if (config.role == Role::kServer) {
    SSL_set_accept_state(e->ssl_.get());
    if (config.enable_0rtt) {
      SSL_set_quic_early_data_context(e->ssl_.get(),
                                      config.early_data_context.data(),
                                      config.early_data_context.size());
    }
  } else {
    SSL_set_connect_state(e->ssl_.get());
    if (!config.server_name.empty()) {
      SSL_set_tlsext_host_name(e->ssl_.get(), config.server_name.c_str());
    }
  }
  return e;
}

void Engine::set_keylog_sink(KeylogSink sink) {
  keylog_sink_ = std::move(sink);
  if (keylog_sink_) {
    SSL_CTX_set_keylog_callback(context_->ssl_ctx(), &Callbacks::Keylog);
  }
}

Event& Engine::Push(EventKind kind) {
  events_.emplace_back();
  events_.back().kind = kind;
  return events_.back();
}

void Engine::AddHandshakeData(Level level, const uint8_t* data, size_t len) {
  if (!events_.empty() && events_.back().kind == EventKind::kWriteData &&
      events_.back().level == level) {
    const size_t index = events_.size() - 1;
    if (unflushed_.empty() || unflushed_.back().index != index) {
      unflushed_.push_back({index, events_.back().data.size()});
    }
    events_.back().data.insert(events_.back().data.end(), data, data + len);
    return;
  }
  Event& ev = Push(EventKind::kWriteData);
  ev.level = level;
  ev.data.assign(data, data + len);
  unflushed_.push_back({events_.size() - 1, 0});
}

void Engine::MaybeEmitPeerTransportParameters() {
  if (peer_tp_emitted_ || is_server()) return;
  const uint8_t* params = nullptr;
  size_t len = 0;
  SSL_get_peer_quic_transport_params(ssl_.get(), &params, &len);
  if (len == 0) return;
  peer_tp_emitted_ = true;
  Push(EventKind::kTransportParameters).data.assign(params, params + len);
}

Error Engine::ErrorFromBoringSSL(const char* what) {
  if (forced_error_) {
    ERR_clear_error();
    return *forced_error_;
  }
  const uint32_t err = ERR_peek_error();
  const char* reason = err != 0 ? ERR_reason_error_string(err) : nullptr;
  Error e = Error::Alert(
      pending_alert_ >= 0 ? static_cast<uint8_t>(pending_alert_)
                          : kAlertInternalError,
      absl::StrCat(what, ": ", reason != nullptr ? reason : "no reason"));
  ERR_clear_error();
  return e;
}

absl::Status Engine::Usable() const {
  if (closed_) return absl::FailedPreconditionError("engine closed");
  if (failed_) return error_.ToStatus();
  return absl::OkStatus();
}

absl::Status Engine::Fail(Error error) {
  if (failed_) return error_.ToStatus();
  // Discard CRYPTO data BoringSSL never flushed (e.g. a ServerHello written
  // before EncryptedExtensions failed).
  for (auto it = unflushed_.rbegin(); it != unflushed_.rend(); ++it) {
    if (it->prior_size == 0) {
      events_.erase(events_.begin() + it->index);
    } else {
      events_[it->index].data.resize(it->prior_size);
    }
  }
  unflushed_.clear();
  held_tickets_.clear();
  for (auto& b : buffered_) b.clear();
  failed_ = true;
  failed_at_ = clock_();
  fresh_failure_ = true;
  error_ = std::move(error);
  Push(EventKind::kError).error = error_;
  ERR_clear_error();
  return error_.ToStatus();
}

absl::Status Engine::Drive() {
  SSL* ssl = ssl_.get();
  for (;;) {
    if (paused_) break;
    if (!handshake_done_) {
      const int rv = SSL_do_handshake(ssl);
      if (rv == 1) {
        if (!SSL_in_init(ssl)) {
          handshake_done_ = true;
          MaybeEmitPeerTransportParameters();
          Push(EventKind::kHandshakeDone);
        }
        // Otherwise an early return (0-RTT): continue when data arrives.
      } else {
        const int err = SSL_get_error(ssl, rv);
        if (err == SSL_ERROR_WANT_READ) {
          // Waiting for the peer.
        } else if (err == SSL_ERROR_PENDING_CERTIFICATE && paused_) {
          break;
        } else if (err == SSL_ERROR_EARLY_DATA_REJECTED) {
          Push(EventKind::kRejectedEarlyData);
          SSL_reset_early_data_reject(ssl);
          continue;
        } else {
          return Fail(ErrorFromBoringSSL("TLS handshake failed"));
        }
      }
    } else if (SSL_process_quic_post_handshake(ssl) != 1) {
      return Fail(ErrorFromBoringSSL("post-handshake message rejected"));
    }
    // Feed data that arrived early for the level BoringSSL now reads.
    std::vector<uint8_t>& pending =
        buffered_[static_cast<int>(SSL_quic_read_level(ssl))];
    if (pending.empty()) break;
    std::vector<uint8_t> data = std::move(pending);
    pending.clear();
    if (!SSL_provide_quic_data(ssl, SSL_quic_read_level(ssl), data.data(),
                               data.size())) {
      const bool too_big =
          ERR_GET_REASON(ERR_peek_error()) == SSL_R_EXCESSIVE_MESSAGE_SIZE;
      ERR_clear_error();
      return Fail(too_big ? Error::Transport(kCryptoBufferExceeded,
                                             "handshake message too large")
                          : Error::Alert(kAlertUnexpectedMessage,
                                         "CRYPTO data rejected"));
    }
  }
  unflushed_.clear();
  MaybeEmitPeerTransportParameters();
  return absl::OkStatus();
}

absl::Status Engine::SendClientHello() {
  if (config().faults.abort_before_client_hello) {
    return Fail(Error::Alert(kAlertInternalError,
                             "application aborted before the ClientHello "
                             "(injected)"));
  }
  if (offered_session_.valid()) {
    SSL_set_session(ssl_.get(), offered_session_.get());
  }
  client_hello_sent_ = true;
  return Drive();
}

absl::Status Engine::Start() {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (started_) return absl::FailedPreconditionError("already started");
  started_ = true;
  if (is_server()) return absl::OkStatus();
  ScopedEnv env(random_, &clock_);
  if (!offered_session_.valid() && config().use_session_cache) {
    offered_session_ = context_->LookupSession(config().server_name);
  }
  // Go's order: the ClientHello's parameters are asked for before the
  // session is loaded (makeClientHello, then loadSession).
  if (!tp_set_) {
    Push(EventKind::kTransportParametersRequired);
    waiting_tp_ = true;
  }
  if (offered_session_.valid() && config().enable_session_events) {
    Push(EventKind::kResumeSession).session = offered_session_;
  }
  if (first_flight_enabled()) {
    Push(EventKind::kFirstFlightReady);
    waiting_first_flight_ = true;
  }
  if (waiting_tp_ || waiting_first_flight_) return absl::OkStatus();
  return Report(Call::kStart, SendClientHello());
}

absl::Status Engine::HandleData(Level level, absl::Span<const uint8_t> data) {
  return Report(Call::kHandleData, HandleDataInternal(level, data));
}

absl::Status Engine::HandleDataInternal(Level level,
                                        absl::Span<const uint8_t> data) {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (!started_) return absl::FailedPreconditionError("not started");
  if (data.empty()) return absl::OkStatus();
  ScopedEnv env(random_, &clock_);
  if (level == Level::kEarly) {
    return Fail(Error::Alert(kAlertUnexpectedMessage,
                             "CRYPTO data at the 0-RTT level"));
  }
  const Level read = static_cast<Level>(SSL_quic_read_level(ssl_.get()));
  if (level < read) {
    return Fail(Error::Alert(
        kAlertUnexpectedMessage,
        absl::StrCat("CRYPTO data at ", LevelName(level),
                     " after the handshake moved to ", LevelName(read))));
  }
  if (!is_server() && !client_hello_sent_) {
    // Nothing can answer a ClientHello that was never built.
    return absl::FailedPreconditionError(
        waiting_first_flight_
            ? "no ClientHello sent: SendFirstFlight not called"
            : "no ClientHello sent yet");
  }
  const bool can_drive = !paused_ && (is_server() || client_hello_sent_);
  if (level > read || !can_drive) {
    std::vector<uint8_t>& buffer = buffered_[static_cast<int>(level)];
    if (buffer.size() + data.size() > config().max_buffered_crypto_data) {
      return Fail(Error::Transport(
          kCryptoBufferExceeded,
          absl::StrCat("more than ", config().max_buffered_crypto_data,
                       " bytes of CRYPTO data buffered at ",
                       LevelName(level))));
    }
    buffer.insert(buffer.end(), data.begin(), data.end());
    return absl::OkStatus();
  }
  if (!SSL_provide_quic_data(ssl_.get(),
                             static_cast<enum ssl_encryption_level_t>(level),
                             data.data(), data.size())) {
    const bool too_big =
        ERR_GET_REASON(ERR_peek_error()) == SSL_R_EXCESSIVE_MESSAGE_SIZE;
    ERR_clear_error();
    return Fail(too_big ? Error::Transport(kCryptoBufferExceeded,
                                           "handshake message too large")
                        : Error::Alert(kAlertUnexpectedMessage,
                                       "CRYPTO data rejected"));
  }
  return Drive();
}

Event Engine::NextEvent() {
  if (events_.empty()) return Event();
  Event ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

absl::Status Engine::SetTransportParameters(absl::Span<const uint8_t> params) {
  return Report(Call::kSetTransportParameters,
                SetTransportParametersInternal(params));
}

absl::Status Engine::SetTransportParametersInternal(
    absl::Span<const uint8_t> params) {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (is_server() ? (select_cert_done_ && !paused_) : client_hello_sent_) {
    return absl::FailedPreconditionError("transport parameters already sent");
  }
  ScopedEnv env(random_, &clock_);
  if (!SSL_set_quic_transport_params(ssl_.get(), params.data(),
                                     params.size())) {
    return Fail(ErrorFromBoringSSL("SSL_set_quic_transport_params failed"));
  }
  tp_set_ = true;
  if (!waiting_tp_) return absl::OkStatus();
  waiting_tp_ = false;
  if (waiting_first_flight_) return absl::OkStatus();
  if (is_server()) {
    paused_ = false;
    return Drive();
  }
  return SendClientHello();
}

absl::Status Engine::SendFirstFlight() {
  return Report(Call::kSendFirstFlight, SendFirstFlightInternal());
}

absl::Status Engine::SendFirstFlightInternal() {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (!waiting_first_flight_) {
    return absl::FailedPreconditionError("no FirstFlightReady pending");
  }
  ScopedEnv env(random_, &clock_);
  waiting_first_flight_ = false;
  // Missing transport parameters now fail inside BoringSSL (internal_error).
  waiting_tp_ = false;
  if (is_server()) {
    paused_ = false;
    return Drive();
  }
  return SendClientHello();
}

absl::Status Engine::SendSessionTicket(const SessionTicketOptions& options) {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (!is_server()) {
    return absl::FailedPreconditionError("only servers send tickets");
  }
  if (!handshake_done_) {
    return absl::FailedPreconditionError("handshake not complete");
  }
  if (ticket_sent_) {
    return absl::FailedPreconditionError(
        "SendSessionTicket called more than once");
  }
  ticket_sent_ = true;
  if (held_tickets_.empty()) return absl::OkStatus();
  std::vector<uint8_t> tickets = std::move(held_tickets_);
  held_tickets_.clear();
  if (!options.early_data || !options.extra.empty()) {
    ScopedEnv env(random_, &clock_);
    absl::StatusOr<std::vector<uint8_t>> rewritten = RewriteNewSessionTickets(
        tickets, options, [&](absl::Span<const uint8_t> ticket) {
          return ResealTicket(ticket, options.extra);
        });
    if (!rewritten.ok()) return rewritten.status();
    tickets = *std::move(rewritten);
  }
  Event& ev = Push(EventKind::kWriteData);
  ev.level = Level::kApplication;
  ev.data = std::move(tickets);
  return absl::OkStatus();
}

absl::Status Engine::SetSession(const Session& session) {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (is_server() || client_hello_sent_) {
    return absl::FailedPreconditionError("too late to offer a session");
  }
  offered_session_ = session;
  if (started_ && config().enable_session_events) {
    // Offered at FirstFlightReady: the stack hears of it as of one picked
    // in Start().
    Push(EventKind::kResumeSession).session = session;
  }
  return absl::OkStatus();
}

absl::Status Engine::DeclineEarlyData() {
  if (absl::Status usable = Usable(); !usable.ok()) return usable;
  if (is_server() ? !paused_ : client_hello_sent_) {
    return absl::FailedPreconditionError("too late to decline 0-RTT");
  }
  SSL_set_early_data_enabled(ssl_.get(), 0);
  return absl::OkStatus();
}

absl::Status Engine::StoreSession(const Session& session) {
  if (is_server() || !session.valid()) {
    return absl::InvalidArgumentError("not a client session");
  }
  context_->StoreSession(config().server_name, session);
  return absl::OkStatus();
}

absl::Status Engine::Abort(Error error) {
  if (closed_) return absl::FailedPreconditionError("engine closed");
  absl::Status status = Fail(std::move(error));
  fresh_failure_ = false;  // the application's own error: no model applies
  return status;
}

void Engine::Close() {
  ScopedEnv env(random_, &clock_);
  ssl_.reset();
  closed_ = true;
  events_.clear();
}

bool Engine::resumed() const {
  return ssl_ != nullptr && SSL_session_reused(ssl_.get());
}

bool Engine::early_data_accepted() const {
  return ssl_ != nullptr && SSL_early_data_accepted(ssl_.get());
}

ConnectionInfo Engine::ConnectionState() const {
  ConnectionInfo info;
  info.handshake_complete = handshake_done_;
  const SSL* ssl = ssl_.get();
  if (ssl == nullptr) return info;
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    info.cipher_suite = SSL_CIPHER_get_protocol_id(cipher);
  }
  info.group = SSL_get_curve_id(ssl);
  const uint8_t* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  info.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_len);
  if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
    info.server_name = sni;
  }
  info.resumed = SSL_session_reused(ssl);
  info.early_data_accepted = SSL_early_data_accepted(ssl);
  info.early_data_reason =
      SSL_early_data_reason_string(SSL_get_early_data_reason(ssl));
  info.hello_retry_request = SSL_used_hello_retry_request(ssl);
  if (const STACK_OF(CRYPTO_BUFFER)* certs = SSL_get0_peer_certificates(ssl)) {
    for (size_t i = 0; i < sk_CRYPTO_BUFFER_num(certs); ++i) {
      const CRYPTO_BUFFER* buf = sk_CRYPTO_BUFFER_value(certs, i);
      info.peer_certificates.emplace_back(
          CRYPTO_BUFFER_data(buf),
          CRYPTO_BUFFER_data(buf) + CRYPTO_BUFFER_len(buf));
    }
  }
  return info;
}

}  // namespace quicsim::tls
