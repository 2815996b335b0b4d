// Connection and the TLS engine: the engine's events (secrets, handshake
// bytes, transport parameters, completion, tickets, errors), key
// installation and discard, the peer's transport parameters, handshake
// completion and confirmation; and the trace lines that describe them.
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "endpoints/connection.h"
#include "endpoints/connection_internal.h"
#include "endpoints/error_codes.h"
#include "endpoints/frames.h"
#include "endpoints/quic_data_reader.h"
#include "tls/error.h"

namespace quicsim::endpoints {

absl::Status Connection::DrainTlsEvents() {
  if (engine_ == nullptr) return absl::OkStatus();
  absl::Status result;
  for (;;) {
    tls::Event event = engine_->NextEvent();
    if (event.kind == tls::EventKind::kNone) break;
    if (TraceOn()) {
      Trace(events::TlsEvent{event.kind, event.level, event.data.size()});
    }
    if (!result.ok()) continue;  // after a failure only drain
    switch (event.kind) {
      case tls::EventKind::kSetReadSecret:
      case tls::EventKind::kSetWriteSecret:
        result = InstallKeys(event.kind == tls::EventKind::kSetWriteSecret,
                             event.level, event.cipher_suite, event.data);
        break;
      case tls::EventKind::kWriteData:
        Crypto(LevelFromTls(event.level)).WriteData(event.data);
        if (TraceOn()) TraceHandshakeMessages(event.level, event.data);
        break;
      case tls::EventKind::kTransportParameters:
        result = OnPeerTransportParameters(event.data);
        break;
      case tls::EventKind::kTransportParametersRequired: {
        if (!is_client() && options_.faults.refuse_peer_transport_parameters) {
          // The application refuses: with the alert it chose, else
          // TRANSPORT_PARAMETER_ERROR.
          result = options_.faults.refuse_alert != 0
                       ? tls::Error::Alert(options_.faults.refuse_alert,
                                           "application refused the client's "
                                           "transport parameters")
                             .ToStatus()
                       : QuicErrorStatus(
                             TransportError::kTransportParameterError,
                             "application refused the client's transport "
                             "parameters");
          break;
        }
        absl::StatusOr<std::vector<uint8_t>> params =
            LocalTransportParameters();
        result = params.ok() ? engine_->SetTransportParameters(*params)
                             : params.status();
        break;
      }
      case tls::EventKind::kFirstFlightReady:
        result = OnFirstFlightReady();
        break;
      case tls::EventKind::kResumeSession:
        result = OnResumeSession(event);
        break;
      case tls::EventKind::kRejectedEarlyData:
        DiscardKeys(EncryptionLevel::kZeroRtt);
        if (!request_acked_ && !options_.request.empty()) {
          AppPending().stream = true;
        }
        break;
      case tls::EventKind::kHandshakeDone:
        OnHandshakeComplete();
        break;
      case tls::EventKind::kStoreSession:
        received_session_ = event.session;
        MaybeDone();
        break;
      case tls::EventKind::kError:
        result = event.error.ToStatus();
        break;
      default:
        break;  // kinds we do not know
    }
  }
  return result;
}

void Connection::TraceTransportParameters(
    events::TransportParametersSet::Owner owner, const TransportParameters& p) {
  Trace(events::TransportParametersSet{owner, p});
}

void Connection::TraceHandshakeMessages(tls::Level level,
                                        absl::Span<const uint8_t> data) {
  // TLS handshake messages are type (1 byte) || length (3 bytes) || body;
  // a message may span WriteData events, so each level keeps its position.
  HandshakeMessageCursor& cursor = hs_cursor_[static_cast<int>(level)];
  for (uint8_t byte : data) {
    if (cursor.body_remaining > 0) {
      --cursor.body_remaining;
      continue;
    }
    cursor.header[cursor.header_length++] = byte;
    if (cursor.header_length < 4) continue;
    cursor.header_length = 0;
    cursor.body_remaining = (size_t{cursor.header[1]} << 16) |
                            (size_t{cursor.header[2]} << 8) | cursor.header[3];
    Trace(
        events::TlsMessageSent{level, cursor.header[0], cursor.body_remaining});
  }
}

absl::Status Connection::InstallKeys(bool write, tls::Level tls_level,
                                     uint16_t suite,
                                     absl::Span<const uint8_t> secret) {
  const EncryptionLevel level = LevelFromTls(tls_level);
  absl::StatusOr<CipherSuite> cipher = CipherSuiteFromId(suite);
  if (!cipher.ok()) return cipher.status();
  absl::StatusOr<std::unique_ptr<PacketProtector>> protector =
      PacketProtector::Create(*cipher, secret);
  if (!protector.ok()) return protector.status();
  LevelState& keys = L(level);
  if (keys.discarded) return absl::OkStatus();
  (write ? keys.write : keys.read) = std::move(*protector);
  if (TraceOn()) {
    Trace(events::KeysInstalled{level, write, suite});
  }
  if (is_client() && write && level == EncryptionLevel::kOneRtt) {
    // RFC 9001 §4.9.3: the client discards 0-RTT keys once it has 1-RTT keys.
    DiscardKeys(EncryptionLevel::kZeroRtt);
  }
  return absl::OkStatus();
}

absl::Status Connection::OnPeerTransportParameters(
    absl::Span<const uint8_t> bytes) {
  const Perspective peer = Peer(options_.perspective);
  absl::StatusOr<TransportParameters> params =
      ParseTransportParameters(bytes, peer);
  if (!params.ok()) return params.status();
  ConnectionIdsSeen seen;
  seen.peer_initial_scid = peer_initial_scid_;
  if (is_client()) {
    seen.original_dcid = original_dcid_;
    seen.retry_scid = retry_scid_;
  }
  absl::Status auth = AuthenticateConnectionIds(*params, peer, seen);
  if (!auth.ok()) return auth;
  if (TraceOn()) {
    TraceTransportParameters(events::TransportParametersSet::Owner::kRemote,
                             *params);
  }
  peer_max_udp_payload_size_ = params->max_udp_payload_size;
  peer_ack_delay_exponent_ = params->ack_delay_exponent;
  loss_.SetPeerMaxAckDelay(
      sim::Duration::Millis(static_cast<int64_t>(params->max_ack_delay_ms)));
  if (params->max_idle_timeout_ms > 0) {
    const sim::Duration peer_idle = sim::Duration::Millis(
        static_cast<int64_t>(params->max_idle_timeout_ms));
    if (options_.idle_timeout.nanos() == 0 || peer_idle < idle_timeout_) {
      idle_timeout_ = peer_idle;
    }
  }
  return absl::OkStatus();
}

void Connection::OnHandshakeComplete() {
  if (handshake_complete_) return;
  handshake_complete_ = true;
  if (TraceOn()) Trace(events::HandshakeComplete{});
  if (!is_client()) {
    // RFC 9001 §4.1.2: the server's handshake is confirmed on completion.
    AppPending().handshake_done = true;
    ConfirmHandshake();
    absl::Status status = engine_->SendSessionTicket();
    if (status.ok()) status = DrainTlsEvents();
    if (!status.ok()) CloseWithStatus(status);
  }
}

void Connection::ConfirmHandshake() {
  state_ = State::kConfirmed;
  peer_completed_address_validation_ = true;
  loss_.SetFlags(loss_.flags(), scheduler_->Now());
  SetVerdict(Verdict::Kind::kConfirmed, 0, "");
  DiscardKeys(EncryptionLevel::kHandshake);
  MaybeDone();
}

void Connection::DiscardKeys(EncryptionLevel level) {
  LevelState& keys = L(level);
  if (keys.discarded) return;
  keys.discarded = true;
  keys.read.reset();
  keys.write.reset();
  if (level == EncryptionLevel::kInitial ||
      level == EncryptionLevel::kHandshake) {
    std::vector<SentPacketInfo> discarded;
    loss_.DiscardSpace(SpaceOf(level), scheduler_->Now(), &discarded);
    for (const SentPacketInfo& info : discarded) {
      sent_records_.erase(info.token);
    }
    Space(SpaceOf(level)).probes_pending = 0;
  }
  if (observer_ != nullptr)
    observer_->OnKeysDiscarded(options_.perspective, level);
  if (TraceOn()) {
    Trace(events::KeysDiscarded{level});
  }
}

}  // namespace quicsim::endpoints
