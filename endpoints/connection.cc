#include "endpoints/connection.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <variant>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "endpoints/error_codes.h"
#include "endpoints/frames.h"
#include "endpoints/packet_number.h"
#include "endpoints/quic_data_reader.h"
#include "endpoints/quic_data_writer.h"
#include "tls/env.h"
#include "tls/error.h"

namespace quicsim::endpoints {
namespace {

constexpr size_t kMinInitialDatagramSize = 1200;
// Largest UDP payload a connection builds (ConnectionOptions is clamped).
constexpr size_t kMaxDatagramSize = 1500;
constexpr size_t kPacketNumberLength = 2;
constexpr size_t kMaxUndecryptablePackets = 8;
constexpr int kMaxCloseResponses = 32;
// Unprovoked repetitions of CONNECTION_CLOSE in the closing state.
constexpr int kMaxCloseRepeats = 5;
// Datagrams one SendPending() may emit before yielding to the scheduler.
constexpr int kMaxDatagramsPerBurst = 32;

const char* LevelName(EncryptionLevel level) {
  switch (level) {
    case EncryptionLevel::kInitial:
      return "initial";
    case EncryptionLevel::kZeroRtt:
      return "0rtt";
    case EncryptionLevel::kHandshake:
      return "handshake";
    case EncryptionLevel::kOneRtt:
      return "1rtt";
  }
  return "?";
}

const char* SpaceName(PacketNumberSpace space) {
  switch (space) {
    case PacketNumberSpace::kInitial:
      return "initial";
    case PacketNumberSpace::kHandshake:
      return "handshake";
    case PacketNumberSpace::kApplication:
      return "application";
  }
  return "?";
}

tls::Level TlsLevel(EncryptionLevel level) {
  return static_cast<tls::Level>(level);
}

LossDetector::Config MakeLossConfig(size_t max_datagram_size) {
  LossDetector::Config config;
  config.max_datagram_size = max_datagram_size;
  return config;
}

// The level that carries ACKs and probes for `space` (1-RTT, not 0-RTT, for
// the application space).
EncryptionLevel AckLevelOf(PacketNumberSpace space) {
  switch (space) {
    case PacketNumberSpace::kInitial:
      return EncryptionLevel::kInitial;
    case PacketNumberSpace::kHandshake:
      return EncryptionLevel::kHandshake;
    case PacketNumberSpace::kApplication:
      return EncryptionLevel::kOneRtt;
  }
  return EncryptionLevel::kOneRtt;
}

bool IsLongHeader(EncryptionLevel level) {
  return level != EncryptionLevel::kOneRtt;
}

}  // namespace

Connection::Connection(ConnectionOptions options, sim::Scheduler* scheduler,
                       sim::Network* network, uint64_t rng_seed,
                       std::string actor, sim::TraceSink* trace,
                       ConnectionObserver* observer)
    : options_(std::move(options)),
      scheduler_(scheduler),
      network_(network),
      actor_(std::move(actor)),
      trace_(trace),
      observer_(observer),
      rng_(sim::Rng::ForStream(rng_seed, "cid")),
      tls_random_(sim::Rng::ForStream(rng_seed, "tls")),
      loss_(MakeLossConfig(options_.max_datagram_size)),
      loss_alarm_(scheduler, [this] { OnLossDetectionAlarm(); }),
      ack_alarm_(scheduler, [this] { OnAckAlarm(); }),
      idle_alarm_(scheduler, [this] { OnIdleAlarm(); }),
      close_alarm_(scheduler, [this] { OnCloseAlarm(); }),
      close_repeat_alarm_(scheduler, [this] { OnCloseRepeatAlarm(); }),
      version_alarm_(scheduler, [this] { OnVersionAlarm(); }) {
  for (int s = 0; s < kNumPacketNumberSpaces; ++s) {
    AckTracker::Config config;
    config.space = static_cast<PacketNumberSpace>(s);
    config.max_ack_delay = options_.max_ack_delay;
    acks_[s] = std::make_unique<AckTracker>(config);
  }
  idle_timeout_ = options_.idle_timeout;
}

Connection::~Connection() = default;

void Connection::InstallInitialKeys(const ConnectionId& client_dcid) {
  PacketProtector::InitialPair keys =
      PacketProtector::CreateInitialPair(client_dcid, options_.perspective);
  L(EncryptionLevel::kInitial).write = std::move(keys.write);
  L(EncryptionLevel::kInitial).read = std::move(keys.read);
}

void Connection::Trace(absl::string_view kind, const std::string& details) {
  trace_->Record(scheduler_->Now(), actor_,
                 std::string_view(kind.data(), kind.size()), details);
}

// ---------------------------------------------------------------------------
// Start

void Connection::Start() {
  start_time_ = scheduler_->Now();
  state_ = State::kHandshake;
  ResetIdleTimer();
  uint8_t cid[ConnectionId::kMaxLength];
  if (is_client()) {
    rng_.Fill(cid, options_.connection_id_length);
    local_cid_ = ConnectionId({cid, options_.connection_id_length});
    rng_.Fill(cid, 8);
    peer_cid_ = ConnectionId({cid, 8});
    original_dcid_ = peer_cid_;
    if (options_.initial_version != kQuicVersion1) {
      awaiting_version_negotiation_ = true;
      version_ = options_.initial_version;
      SendVersionProbe();
      ArmVersionAlarm();
      return;
    }
  } else {
    original_dcid_ = options_.original_dcid;
    retry_scid_ = options_.retry_scid;
    if (retry_scid_.has_value()) {
      local_cid_ = *retry_scid_;
    } else {
      rng_.Fill(cid, options_.connection_id_length);
      local_cid_ = ConnectionId({cid, options_.connection_id_length});
    }
  }

  const ConnectionId& initial_dcid =
      is_client() ? peer_cid_ : options_.client_initial_dcid;
  InstallInitialKeys(initial_dcid);

  sim::Scheduler* scheduler = scheduler_;
  engine_ =
      tls::Engine::Create(options_.tls_context, &tls_random_, [scheduler] {
        return tls::VirtualEpoch() +
               absl::Nanoseconds(scheduler->Now().nanos());
      });
  if (options_.keylog_sink) engine_->set_keylog_sink(options_.keylog_sink);
  if (TraceOn()) {
    Trace("start",
          absl::StrFormat("scid=%s dcid=%s version=%08x", local_cid_.ToHex(),
                          peer_cid_.ToHex(), version_));
  }
  absl::Status status;
  if (is_client()) {
    if (options_.resume_session.valid()) {
      status = engine_->SetSession(options_.resume_session);
    }
    if (status.ok()) {
      absl::StatusOr<std::vector<uint8_t>> params = LocalTransportParameters();
      status = params.ok() ? engine_->SetTransportParameters(*params)
                           : params.status();
    }
    request_pending_ = !options_.request.empty();
  }
  if (status.ok()) status = engine_->Start();
  absl::Status drained = DrainTlsEvents();
  if (status.ok()) status = drained;
  if (!status.ok()) {
    CloseWithStatus(status);
    return;
  }
  SendPending();
}

absl::StatusOr<std::vector<uint8_t>> Connection::LocalTransportParameters() {
  TransportParameters params;
  params.max_idle_timeout_ms = options_.idle_timeout.millis();
  params.max_udp_payload_size = options_.max_udp_payload_size;
  params.initial_max_data = 1 << 20;
  params.initial_max_stream_data_bidi_local = 1 << 18;
  params.initial_max_stream_data_bidi_remote = 1 << 18;
  params.initial_max_stream_data_uni = 1 << 18;
  params.initial_max_streams_bidi = 16;
  params.initial_max_streams_uni = 16;
  params.max_ack_delay_ms = options_.max_ack_delay.millis();
  params.initial_source_connection_id = local_cid_;
  if (!is_client()) {
    params.original_destination_connection_id = original_dcid_;
    if (retry_scid_.has_value()) {
      params.retry_source_connection_id = *retry_scid_;
    }
  }
  if (TraceOn()) TraceTransportParameters("local", params);
  absl::StatusOr<std::vector<uint8_t>> bytes =
      SerializeTransportParameters(params, options_.perspective);
  if (!bytes.ok()) return bytes.status();
  if (!is_client() && options_.faults.invalid_transport_parameters) {
    // max_udp_payload_size (0x03) = 1000: below the 1200 minimum (§18.2).
    const uint8_t invalid[] = {0x03, 0x02, 0x43, 0xe8};
    bytes->insert(bytes->end(), std::begin(invalid), std::end(invalid));
  }
  return bytes;
}

// ---------------------------------------------------------------------------
// Input

void Connection::OnDatagram(sim::Datagram datagram, bool observed) {
  if (state_ == State::kFinished || state_ == State::kIdle) return;
  const size_t size = datagram.payload.size();
  ++stats_.datagrams_received;
  stats_.bytes_received += size;
  if (observer_ != nullptr && !observed) {
    observer_->OnDatagramReceived(options_.perspective, size);
  }
  if (!AddressValidated()) bytes_received_before_validation_ += size;

  if (state_ == State::kDraining) {
    if (TraceOn()) Trace("datagram_dropped", "reason=draining");
    return;
  }
  if (state_ == State::kClosing) {
    // RFC 9000 §10.2.1: answer with CONNECTION_CLOSE, at most
    // kMaxCloseResponses times.
    if (close_responses_ < kMaxCloseResponses) {
      ++close_responses_;
      SendConnectionClosePackets();
    } else if (TraceOn()) {
      Trace("datagram_dropped", "reason=closing");
    }
    return;
  }

  DatagramPackets split =
      SplitDatagram(datagram.payload, options_.connection_id_length);
  if (!split.trailing_error.ok() && TraceOn()) {
    Trace("datagram_trailing_dropped",
          absl::StrFormat("reason=\"%s\"", split.trailing_error.message()));
  }
  for (const PacketHeader& header : split.packets) {
    if (state_ != State::kHandshake && state_ != State::kConfirmed) break;
    // The packet's bytes lie inside datagram.payload, which we own.
    const size_t offset = header.packet.data() - datagram.payload.data();
    absl::Span<uint8_t> packet(datagram.payload.data() + offset,
                               header.packet.size());
    ProcessPacket(header, packet, size);
  }
  // Packets that waited for keys installed while processing this datagram.
  for (int round = 0; round < 3 && !undecryptable_.empty(); ++round) {
    std::vector<Buffered> pending;
    pending.swap(undecryptable_);
    bool progressed = false;
    for (Buffered& b : pending) {
      if (state_ != State::kHandshake && state_ != State::kConfirmed) break;
      if (L(b.level).read == nullptr && !L(b.level).discarded) {
        undecryptable_.push_back(std::move(b));
        continue;
      }
      progressed = true;
      absl::StatusOr<PacketHeader> header =
          ParsePacketHeader(b.bytes, options_.connection_id_length);
      if (!header.ok()) continue;
      ProcessPacket(*header, absl::MakeSpan(b.bytes), b.datagram_size);
    }
    if (!progressed) break;
  }
  if (state_ == State::kHandshake || state_ == State::kConfirmed) {
    SendPending();
  }
}

void Connection::ProcessPacket(const PacketHeader& header,
                               absl::Span<uint8_t> packet,
                               size_t datagram_size) {
  auto drop = [&](const char* reason) {
    ++stats_.packets_dropped;
    if (TraceOn()) {
      Trace("packet_dropped", absl::StrFormat("type=%s size=%d reason=%s",
                                              PacketTypeName(header.type),
                                              packet.size(), reason));
    }
  };
  switch (header.type) {
    case PacketType::kVersionNegotiation:
      if (!is_client()) return drop("unexpected_version_negotiation");
      ProcessVersionNegotiation(header);
      return;
    case PacketType::kRetry:
      if (!is_client()) return drop("unexpected_retry");
      ProcessRetry(header);
      return;
    case PacketType::kUnsupportedVersion:
      return drop("unsupported_version");
    default:
      break;
  }
  if (awaiting_version_negotiation_)
    return drop("awaiting_version_negotiation");
  if (header.type != PacketType::kOneRtt && header.version != version_) {
    return drop("version_mismatch");
  }
  const EncryptionLevel level = LevelOfPacketType(header.type);
  if (is_client() && level == EncryptionLevel::kZeroRtt) {
    return drop("0rtt_from_server");
  }
  if (!is_client() && level == EncryptionLevel::kInitial &&
      datagram_size < kMinInitialDatagramSize) {
    return drop("initial_datagram_too_small");
  }
  if (is_client()) {
    if (header.dcid != local_cid_) return drop("unknown_connection_id");
  } else if (header.dcid != local_cid_ &&
             header.dcid != options_.client_initial_dcid) {
    return drop("unknown_connection_id");
  }
  LevelState& keys = L(level);
  if (keys.discarded) return drop("keys_discarded");
  if (keys.read == nullptr) {
    if (undecryptable_.size() < kMaxUndecryptablePackets) {
      undecryptable_.push_back(
          {std::vector<uint8_t>(packet.begin(), packet.end()), level,
           datagram_size});
      return drop("keys_unavailable_buffered");
    }
    return drop("keys_unavailable");
  }
  const PacketNumberSpace space = SpaceOf(level);
  const int s = static_cast<int>(space);
  std::optional<uint64_t> largest;
  if (has_largest_received_[s]) largest = largest_received_[s];
  absl::StatusOr<OpenedPacket> opened =
      keys.read->OpenPacket(packet, header.pn_offset, largest);
  if (!opened.ok()) return drop("decryption_failed");
  absl::Status reserved =
      CheckReservedBits(IsLongHeader(level), opened->first_byte);
  if (!reserved.ok()) {
    CloseWithStatus(reserved);
    return;
  }
  const uint64_t pn = opened->packet_number;
  if (Acks(space).IsDuplicate(pn)) return drop("duplicate");

  if (IsLongHeader(level) && !received_from_peer_) {
    received_from_peer_ = true;
    peer_initial_scid_ = header.scid;
    peer_cid_ = header.scid;
  }
  ++stats_.packets_received;
  if (TraceOn()) {
    Trace("packet_received",
          absl::StrFormat("type=%s pn=%d size=%d%s",
                          PacketTypeName(header.type), pn, packet.size(),
                          FrameSummary(level, opened->payload)));
  }
  bool ack_eliciting = false;
  absl::Status status = ProcessFrames(level, opened->payload, &ack_eliciting);
  if (state_ == State::kClosing || state_ == State::kDraining ||
      state_ == State::kFinished) {
    return;
  }
  if (!status.ok()) {
    CloseWithStatus(status);
    return;
  }
  if (!has_largest_received_[s] || pn > largest_received_[s]) {
    has_largest_received_[s] = true;
    largest_received_[s] = pn;
  }
  Acks(space).OnPacketReceived(pn, ack_eliciting, scheduler_->Now());
  ack_eliciting_sent_since_receive_ = 0;
  ResetIdleTimer();

  if (!is_client() && level == EncryptionLevel::kHandshake) {
    if (!address_validated_) {
      // RFC 9000 §8.1: a Handshake packet from the client validates its
      // address.
      address_validated_ = true;
      if (observer_ != nullptr) {
        observer_->OnAddressValidated(options_.perspective);
      }
      if (TraceOn()) Trace("address_validated", "by=handshake_packet");
    }
    // RFC 9001 §4.9.1: the server discards Initial keys once it processes a
    // Handshake packet, however the address was validated (a Retry token
    // validates it earlier).
    DiscardKeys(EncryptionLevel::kInitial);
  }
}

void Connection::ProcessVersionNegotiation(const PacketHeader& header) {
  if (!awaiting_version_negotiation_ || header.dcid != local_cid_ ||
      header.scid != peer_cid_) {
    ++stats_.packets_dropped;
    if (TraceOn())
      Trace("packet_dropped", "type=VersionNegotiation reason=unexpected");
    return;
  }
  std::vector<uint32_t> versions = VersionNegotiationVersions(header);
  if (TraceOn()) {
    Trace("version_negotiation",
          absl::StrFormat(
              "versions=%s",
              absl::StrJoin(versions, ",", [](std::string* out, uint32_t v) {
                absl::StrAppend(out, absl::StrFormat("%08x", v));
              })));
  }
  if (std::find(versions.begin(), versions.end(), options_.initial_version) !=
      versions.end()) {
    // RFC 9000 §6.2: a VN listing the version we offered is ignored.
    return;
  }
  if (std::find(versions.begin(), versions.end(), kQuicVersion1) ==
      versions.end()) {
    SetVerdict(Verdict::Kind::kAborted, 0, "no common version");
    state_ = State::kFinished;
    MaybeDone();
    return;
  }
  awaiting_version_negotiation_ = false;
  version_alarm_.Cancel();
  version_ = kQuicVersion1;
  // A new connection attempt with v1 and fresh connection IDs (Start()).
  options_.initial_version = kQuicVersion1;
  const sim::Time start = start_time_;
  Start();
  start_time_ = start;
}

void Connection::ProcessRetry(const PacketHeader& header) {
  auto drop = [&](const char* reason) {
    ++stats_.packets_dropped;
    if (TraceOn()) {
      Trace("packet_dropped", absl::StrFormat("type=Retry reason=%s", reason));
    }
  };
  if (received_from_peer_ || retry_scid_.has_value()) return drop("unexpected");
  if (header.dcid != local_cid_) return drop("unknown_connection_id");
  if (header.scid == peer_cid_) return drop("same_connection_id");
  if (header.token.empty()) return drop("empty_token");
  if (!VerifyRetryIntegrityTag(header.packet, original_dcid_)) {
    return drop("bad_integrity_tag");
  }
  retry_scid_ = header.scid;
  peer_cid_ = header.scid;
  retry_token_.assign(header.token.begin(), header.token.end());
  if (TraceOn()) {
    Trace("retry_received",
          absl::StrFormat("scid=%s token_len=%d", header.scid.ToHex(),
                          header.token.size()));
  }
  // New Initial keys for the new DCID; everything sent so far in Initial is
  // resent (RFC 9000 §17.2.5.2, RFC 9002 §6.3); packet numbers continue.
  InstallInitialKeys(peer_cid_);
  std::vector<SentPacketInfo> discarded;
  loss_.DiscardSpace(PacketNumberSpace::kInitial, scheduler_->Now(),
                     &discarded);
  for (const SentPacketInfo& info : discarded) sent_records_.erase(info.token);
  Crypto(EncryptionLevel::kInitial).RetransmitUnacked();
  if (!request_acked_ && !options_.request.empty()) request_pending_ = true;
  SendPending();
}

absl::Status Connection::ProcessFrames(EncryptionLevel level,
                                       absl::Span<const uint8_t> payload,
                                       bool* ack_eliciting) {
  if (payload.empty()) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           "packet without frames");
  }
  QuicDataReader reader(payload);
  while (!reader.empty()) {
    if (state_ != State::kHandshake && state_ != State::kConfirmed) break;
    absl::StatusOr<Frame> parsed = ParseFrame(&reader, level);
    if (!parsed.ok()) return parsed.status();
    const Frame& frame = *parsed;
    if (const auto* ack = std::get_if<AckFrame>(&frame)) {
      absl::Status s = OnAckFrame(level, *ack);
      if (!s.ok()) return s;
      continue;
    }
    if (std::holds_alternative<PaddingFrame>(frame)) continue;
    if (const auto* close = std::get_if<ConnectionCloseFrame>(&frame)) {
      OnConnectionClose(
          close->error_code,
          absl::string_view(reinterpret_cast<const char*>(close->reason.data()),
                            close->reason.size()));
      return absl::OkStatus();
    }
    *ack_eliciting = true;
    if (const auto* crypto = std::get_if<CryptoFrame>(&frame)) {
      absl::Status s = OnCryptoFrame(level, crypto->offset, crypto->data);
      if (!s.ok()) return s;
    } else if (std::holds_alternative<HandshakeDoneFrame>(frame)) {
      if (!is_client()) {
        return QuicErrorStatus(TransportError::kProtocolViolation,
                               "HANDSHAKE_DONE from a client");
      }
      if (handshake_complete_ && state_ != State::kConfirmed) {
        ConfirmHandshake();
      }
    } else if (std::holds_alternative<NewTokenFrame>(frame)) {
      if (!is_client()) {
        return QuicErrorStatus(TransportError::kProtocolViolation,
                               "NEW_TOKEN from a client");
      }
    } else if (const auto* stream = std::get_if<StreamFrame>(&frame)) {
      if (!is_client() && stream->stream_id == 0) {
        const size_t end = stream->offset + stream->data.size();
        if (end > request_received_) {
          if (level == EncryptionLevel::kZeroRtt && request_received_ == 0) {
            request_in_0rtt_ = true;
          }
          request_received_ = end;
          if (TraceOn()) {
            Trace("stream_received",
                  absl::StrFormat("level=%s bytes=%d", LevelName(level), end));
          }
        }
        MaybeDone();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Connection::OnAckFrame(EncryptionLevel level,
                                    const AckFrame& ack) {
  const PacketNumberSpace space = SpaceOf(level);
  const uint64_t shift = std::min<uint64_t>(peer_ack_delay_exponent_, 20);
  const uint64_t raw = std::min<uint64_t>(ack.ack_delay, uint64_t{1} << 40);
  const sim::Duration ack_delay =
      sim::Duration::Micros(static_cast<int64_t>(raw << shift));
  absl::Status status = loss_.OnAckReceived(space, ack.ranges, ack_delay,
                                            scheduler_->Now(), &outcome_);
  if (!status.ok()) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           status.message());
  }
  for (const SentPacketInfo& info : outcome_.acked) {
    auto it = sent_records_.find(info.token);
    if (it == sent_records_.end()) continue;
    const SentRecord& rec = it->second;
    if (rec.crypto_length > 0) {
      Crypto(rec.level).OnAcked(rec.crypto_offset, rec.crypto_length);
    }
    if (rec.handshake_done) {
      handshake_done_acked_ = true;
      handshake_done_pending_ = false;
    }
    if (rec.stream) {
      request_acked_ = true;
      request_pending_ = false;
    }
    if (rec.has_ack) Acks(space).OnAckOfAckReceived(rec.largest_acked_in_ack);
    sent_records_.erase(it);
  }
  if (is_client() && space == PacketNumberSpace::kHandshake &&
      !outcome_.acked.empty()) {
    peer_completed_address_validation_ = true;
  }
  if (outcome_.rtt_updated && TraceOn()) {
    const RttEstimator& rtt = loss_.rtt();
    Trace("metrics_updated",
          absl::StrFormat("min_rtt_us=%d smoothed_rtt_us=%d latest_rtt_us=%d "
                          "rtt_variance_us=%d cwnd=%d bytes_in_flight=%d",
                          rtt.min_rtt().micros(), rtt.smoothed_rtt().micros(),
                          rtt.latest_rtt().micros(), rtt.rttvar().micros(),
                          loss_.congestion_controller().congestion_window(),
                          loss_.bytes_in_flight()));
  }
  OnPacketsLost(outcome_.lost, ack.largest_acked());
  if (TraceOn() && (!outcome_.acked.empty() || !outcome_.lost.empty())) {
    Trace("ack_received",
          absl::StrFormat("space=%s largest=%d acked=%d lost=%d",
                          SpaceName(space), ack.largest_acked(),
                          outcome_.acked.size(), outcome_.lost.size()));
  }
  MaybeDone();
  return absl::OkStatus();
}

void Connection::OnPacketsLost(absl::Span<const SentPacketInfo> lost,
                               std::optional<uint64_t> largest_acked) {
  // What the lost packets carried goes out again.
  for (const SentPacketInfo& info : lost) {
    ++stats_.packets_lost;
    if (TraceOn()) TracePacketLost(info, outcome_.space, largest_acked);
    auto it = sent_records_.find(info.token);
    if (it == sent_records_.end()) continue;
    const SentRecord& rec = it->second;
    if (rec.crypto_length > 0) {
      Crypto(rec.level).OnLost(rec.crypto_offset, rec.crypto_length);
    }
    if (rec.handshake_done && !handshake_done_acked_) {
      handshake_done_pending_ = true;
    }
    if (rec.stream && !request_acked_) request_pending_ = true;
    sent_records_.erase(it);
  }
}

absl::Status Connection::OnCryptoFrame(EncryptionLevel level, uint64_t offset,
                                       absl::Span<const uint8_t> data) {
  CryptoStream& stream = Crypto(level);
  absl::Status status = stream.OnFrame(offset, data);
  if (!status.ok()) {
    if (absl::IsResourceExhausted(status)) {
      return QuicErrorStatus(TransportError::kCryptoBufferExceeded,
                             status.message());
    }
    return QuicErrorStatus(TransportError::kFrameEncodingError,
                           status.message());
  }
  absl::Span<const uint8_t> readable = stream.ReadableBytes();
  if (readable.empty() || engine_ == nullptr) return absl::OkStatus();
  absl::Status handled = engine_->HandleData(TlsLevel(level), readable);
  stream.Consume(readable.size());
  absl::Status drained = DrainTlsEvents();
  if (!handled.ok()) return handled;
  return drained;
}

void Connection::OnConnectionClose(uint64_t code, absl::string_view reason) {
  if (TraceOn()) {
    Trace("connection_close_received",
          absl::StrFormat("code=%s reason=\"%s\"", TransportErrorName(code),
                          reason));
  }
  SetVerdict(Verdict::Kind::kClosedReceived, code, reason);
  // RFC 9000 §10.2.2: draining for three PTOs, sending nothing.
  state_ = State::kDraining;
  loss_alarm_.Cancel();
  ack_alarm_.Cancel();
  idle_alarm_.Cancel();
  close_alarm_.Set(scheduler_->Now() + CurrentPto() * 3);
}

// ---------------------------------------------------------------------------
// TLS

absl::Status Connection::DrainTlsEvents() {
  if (engine_ == nullptr) return absl::OkStatus();
  absl::Status result;
  for (;;) {
    tls::Event event = engine_->NextEvent();
    if (event.kind == tls::EventKind::kNone) break;
    if (TraceOn()) {
      Trace("tls_event",
            absl::StrFormat("kind=%s level=%s bytes=%d",
                            tls::EventKindName(event.kind),
                            tls::LevelName(event.level), event.data.size()));
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
          request_pending_ = true;
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

std::string Connection::FrameSummary(EncryptionLevel level,
                                     absl::Span<const uint8_t> payload) const {
  // Decodes the payload a second time, only when tracing: the summary uses
  // the keys packet_sent details use (ack, crypto=OFFSET+LENGTH, ...).
  std::string out;
  QuicDataReader reader(payload);
  while (!reader.empty()) {
    absl::StatusOr<Frame> frame = ParseFrame(&reader, level);
    if (!frame.ok()) {
      absl::StrAppend(&out, " malformed");
      break;
    }
    if (const auto* crypto = std::get_if<CryptoFrame>(&*frame)) {
      absl::StrAppend(&out, " crypto=", crypto->offset, "+",
                      crypto->data.size());
    } else if (const auto* close = std::get_if<ConnectionCloseFrame>(&*frame)) {
      absl::StrAppend(
          &out, " connection_close=", TransportErrorName(close->error_code));
    } else if (std::holds_alternative<AckFrame>(*frame)) {
      absl::StrAppend(&out, " ack");
    } else if (std::holds_alternative<PaddingFrame>(*frame)) {
      absl::StrAppend(&out, " padding");
    } else if (std::holds_alternative<PingFrame>(*frame)) {
      absl::StrAppend(&out, " ping");
    } else if (std::holds_alternative<HandshakeDoneFrame>(*frame)) {
      absl::StrAppend(&out, " handshake_done");
    } else if (std::holds_alternative<StreamFrame>(*frame)) {
      absl::StrAppend(&out, " stream");
    } else if (std::holds_alternative<NewTokenFrame>(*frame)) {
      absl::StrAppend(&out, " new_token");
    } else if (std::holds_alternative<NewConnectionIdFrame>(*frame)) {
      absl::StrAppend(&out, " new_connection_id");
    }
  }
  return out;
}

void Connection::TraceTransportParameters(const char* owner,
                                          const TransportParameters& p) {
  Trace(
      "transport_parameters",
      absl::StrFormat(
          "owner=%s max_idle_timeout=%d max_udp_payload_size=%d "
          "ack_delay_exponent=%d max_ack_delay=%d initial_max_data=%d "
          "initial_max_stream_data_bidi_local=%d "
          "initial_max_stream_data_bidi_remote=%d "
          "initial_max_stream_data_uni=%d initial_max_streams_bidi=%d "
          "initial_max_streams_uni=%d active_connection_id_limit=%d "
          "disable_active_migration=%d initial_source_connection_id=%s%s%s",
          owner, p.max_idle_timeout_ms, p.max_udp_payload_size,
          p.ack_delay_exponent, p.max_ack_delay_ms, p.initial_max_data,
          p.initial_max_stream_data_bidi_local,
          p.initial_max_stream_data_bidi_remote, p.initial_max_stream_data_uni,
          p.initial_max_streams_bidi, p.initial_max_streams_uni,
          p.active_connection_id_limit, p.disable_active_migration ? 1 : 0,
          p.initial_source_connection_id.has_value()
              ? p.initial_source_connection_id->ToHex()
              : std::string(),
          p.original_destination_connection_id.has_value()
              ? absl::StrCat(" original_destination_connection_id=",
                             p.original_destination_connection_id->ToHex())
              : std::string(),
          p.retry_source_connection_id.has_value()
              ? absl::StrCat(" retry_source_connection_id=",
                             p.retry_source_connection_id->ToHex())
              : std::string()));
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
    Trace("tls_message_sent",
          absl::StrFormat("level=%s type=%d length=%d", tls::LevelName(level),
                          cursor.header[0], cursor.body_remaining));
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
    Trace("keys_installed",
          absl::StrFormat("level=%s direction=%s suite=%04x", LevelName(level),
                          write ? "write" : "read", suite));
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
  if (TraceOn()) TraceTransportParameters("remote", *params);
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
  if (TraceOn()) Trace("handshake_complete", "");
  if (!is_client()) {
    // RFC 9001 §4.1.2: the server's handshake is confirmed on completion.
    handshake_done_pending_ = true;
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
    probes_pending_[static_cast<int>(SpaceOf(level))] = 0;
  }
  if (observer_ != nullptr)
    observer_->OnKeysDiscarded(options_.perspective, level);
  if (TraceOn()) {
    Trace("keys_discarded", absl::StrFormat("level=%s", LevelName(level)));
  }
}

// ---------------------------------------------------------------------------
// Output

uint64_t Connection::AmplificationBudget() const {
  if (AddressValidated()) return UINT64_MAX;
  const uint64_t limit = 3 * bytes_received_before_validation_;
  return limit > bytes_sent_before_validation_
             ? limit - bytes_sent_before_validation_
             : 0;
}

size_t Connection::PacketHeaderLength(EncryptionLevel level) const {
  if (!IsLongHeader(level)) {
    return 1 + peer_cid_.size() + kPacketNumberLength;
  }
  // First byte, version, both connection IDs with their lengths, a 2-byte
  // Length field and the packet number; Initial packets add the token.
  size_t length = 1 + 4 + 1 + peer_cid_.size() + 1 + local_cid_.size() + 2 +
                  kPacketNumberLength;
  if (level == EncryptionLevel::kInitial) {
    length += VarIntLength(retry_token_.size()) + retry_token_.size();
  }
  return length;
}

bool Connection::HasDataToSend(EncryptionLevel level) const {
  const LevelState& keys = L(level);
  if (keys.write == nullptr) return false;
  const int s = static_cast<int>(SpaceOf(level));
  if (probes_pending_[s] > 0 && level != EncryptionLevel::kZeroRtt) {
    return true;
  }
  if (level != EncryptionLevel::kZeroRtt && acks_[s]->HasNewPackets() &&
      acks_[s]->ShouldSendAck(scheduler_->Now())) {
    return true;
  }
  if (level != EncryptionLevel::kZeroRtt && crypto_[s].HasPendingData()) {
    return true;
  }
  if (level == EncryptionLevel::kOneRtt && handshake_done_pending_) return true;
  if (is_client() && request_pending_) {
    if (level == EncryptionLevel::kOneRtt) return true;
    if (level == EncryptionLevel::kZeroRtt &&
        L(EncryptionLevel::kOneRtt).write == nullptr) {
      return true;
    }
  }
  return false;
}

void Connection::SendPending() {
  if (state_ != State::kHandshake && state_ != State::kConfirmed) return;
  for (int i = 0; i < kMaxDatagramsPerBurst; ++i) {
    if (!SendOneDatagram()) break;
  }
  ArmTimers();
}

bool Connection::SendOneDatagram() {
  static constexpr EncryptionLevel kOrder[] = {
      EncryptionLevel::kInitial, EncryptionLevel::kZeroRtt,
      EncryptionLevel::kHandshake, EncryptionLevel::kOneRtt};
  const sim::Time now = scheduler_->Now();
  const uint64_t budget = AmplificationBudget();
  // Our own size, never above what the peer said it can receive.
  size_t limit = std::min(options_.max_datagram_size, kMaxDatagramSize);
  if (peer_max_udp_payload_size_ < limit) {
    limit = static_cast<size_t>(peer_max_udp_payload_size_);
  }
  if (budget < limit) limit = static_cast<size_t>(budget);
  if (limit < 64) return false;
  const bool cwnd_open =
      loss_.congestion_controller().AvailableWindow() >= limit;
  const bool any_probe = probes_pending_[0] > 0 || probes_pending_[1] > 0 ||
                         probes_pending_[2] > 0;

  // Phase 1: frames per packet.
  struct Plan {
    EncryptionLevel level;
    uint64_t pn;
    std::array<uint8_t, kMaxDatagramSize> plaintext;
    size_t length = 0;
    SentRecord record;
    bool ack_eliciting = false;
    bool padded = false;
  };
  absl::InlinedVector<Plan, 4> plans;
  size_t used = 0;
  bool has_initial = false;
  bool has_ack_eliciting_initial = false;
  for (EncryptionLevel level : kOrder) {
    if (!HasDataToSend(level)) continue;
    const PacketNumberSpace space = SpaceOf(level);
    const int s = static_cast<int>(space);
    const size_t header_len = PacketHeaderLength(level);
    if (used + header_len + kAeadTagLength + 8 > limit) break;
    const size_t room = limit - used - header_len - kAeadTagLength;
    // Built in place: a Plan carries a full datagram's worth of buffer.
    Plan& plan = plans.emplace_back();
    plan.level = level;
    plan.record.level = level;
    QuicDataWriter writer(absl::MakeSpan(plan.plaintext.data(), room));

    AckTracker& acks = *acks_[s];
    if (level != EncryptionLevel::kZeroRtt && acks.HasNewPackets()) {
      AckFrame ack;
      acks.GetAckRanges(&range_scratch_);
      ack.ranges.assign(range_scratch_.begin(), range_scratch_.end());
      if (!ack.ranges.empty()) {
        ack.ack_delay = static_cast<uint64_t>(acks.AckDelay(now).micros()) >> 3;
        if (space != PacketNumberSpace::kApplication) ack.ack_delay = 0;
        if (WriteAckFrame(ack, &writer)) {
          acks.OnAckSent();
          plan.record.has_ack = true;
          plan.record.largest_acked_in_ack = ack.ranges.front().largest;
        } else {
          writer = QuicDataWriter(absl::MakeSpan(plan.plaintext.data(), room));
        }
      }
    }
    const bool probe = probes_pending_[s] > 0;
    // A probe datagram is exempt from the congestion window (RFC 9002
    // §7), and so is everything coalesced into it: lost Initial CRYPTO data
    // rides along with a Handshake probe. Otherwise a window filled by
    // Handshake packets the client cannot yet decrypt (so never acknowledges)
    // blocks the ServerHello retransmission those packets depend on.
    const bool may_send_data = cwnd_open || any_probe;
    if (level == EncryptionLevel::kOneRtt && handshake_done_pending_ &&
        may_send_data && WriteHandshakeDoneFrame(&writer)) {
      handshake_done_pending_ = false;
      plan.record.handshake_done = true;
      plan.ack_eliciting = true;
    }
    if (level != EncryptionLevel::kZeroRtt && may_send_data) {
      CryptoStream& crypto = crypto_[s];
      if (probe && !crypto.HasPendingData() && crypto.HasUnackedData()) {
        crypto.RetransmitUnacked();
      }
      if (crypto.HasPendingData()) {
        const size_t remaining = writer.remaining();
        // Room for the frame header: type + offset (<=8) + length (<=2).
        if (remaining > 12) {
          CryptoChunk chunk = crypto.NextChunk(remaining - 11);
          if (!chunk.empty() &&
              WriteCryptoFrame(chunk.offset, chunk.data, &writer)) {
            plan.record.crypto_offset = chunk.offset;
            plan.record.crypto_length =
                static_cast<uint32_t>(chunk.data.size());
            plan.ack_eliciting = true;
          } else if (!chunk.empty()) {
            crypto.OnLost(chunk.offset, chunk.data.size());
          }
        }
      }
    }
    if (is_client() && request_pending_ && may_send_data &&
        (level == EncryptionLevel::kOneRtt ||
         (level == EncryptionLevel::kZeroRtt &&
          L(EncryptionLevel::kOneRtt).write == nullptr))) {
      StreamFrame frame;
      frame.stream_id = 0;
      frame.offset = 0;
      frame.fin = true;
      frame.data = options_.request;
      if (WriteStreamFrame(frame, &writer)) {
        request_pending_ = false;
        plan.record.stream = true;
        plan.ack_eliciting = true;
      }
    }
    if (probe && !plan.ack_eliciting && WritePingFrame(&writer)) {
      plan.ack_eliciting = true;
    }
    if (probe && plan.ack_eliciting) --probes_pending_[s];
    if (writer.length() == 0) {
      plans.pop_back();
      continue;
    }
    // Header protection samples 16 bytes starting 4 bytes after the packet
    // number: make sure the payload is long enough.
    const size_t min_payload = 4 - kPacketNumberLength;
    if (writer.length() < min_payload) {
      WritePaddingFrame(min_payload - writer.length(), &writer);
    }
    plan.length = writer.length();
    if (level == EncryptionLevel::kInitial) {
      has_initial = true;
      if (plan.ack_eliciting) has_ack_eliciting_initial = true;
    }
    used += header_len + plan.length + kAeadTagLength;
  }
  if (plans.empty()) return false;

  // Phase 2: padding (RFC 9000 §14.1).
  const bool must_pad = (is_client() && has_initial) ||
                        (!is_client() && has_ack_eliciting_initial);
  if (must_pad && used < kMinInitialDatagramSize) {
    if (kMinInitialDatagramSize > limit) {
      // Blocked by the amplification limit: put the data back.
      for (Plan& plan : plans) {
        if (plan.record.crypto_length > 0) {
          Crypto(plan.level)
              .OnLost(plan.record.crypto_offset, plan.record.crypto_length);
        }
        if (plan.record.handshake_done) handshake_done_pending_ = true;
        if (plan.record.stream) request_pending_ = true;
        if (plan.ack_eliciting) {
          // The probe was not sent.
          const int s = static_cast<int>(SpaceOf(plan.level));
          if (probes_pending_[s] == 0 && loss_.pto_count() > 0) {
            probes_pending_[s] = 1;
          }
        }
      }
      if (TraceOn())
        Trace("amplification_blocked", absl::StrFormat("budget=%d", budget));
      return false;
    }
    Plan& last = plans.back();
    const size_t pad = kMinInitialDatagramSize - used;
    std::memset(last.plaintext.data() + last.length, 0, pad);
    last.length += pad;
    last.padded = true;
    used += pad;
  }

  // Phase 3: headers, protection, bookkeeping.
  std::vector<uint8_t> datagram(used + 32);
  size_t offset = 0;
  uint8_t levels = 0;
  struct SentPacket {
    PacketNumberSpace space;
    uint64_t pn;
    uint32_t bytes;
    bool ack_eliciting;
    bool in_flight;
    uint64_t token;
  };
  absl::InlinedVector<SentPacket, 4> sent;
  for (Plan& plan : plans) {
    const PacketNumberSpace space = SpaceOf(plan.level);
    const int s = static_cast<int>(space);
    const uint64_t pn = next_pn_[s]++;
    PacketHeader header;
    header.type = PacketTypeOfLevel(plan.level);
    header.version = version_;
    header.dcid = peer_cid_;
    header.scid = local_cid_;
    header.token = retry_token_;
    header.first_byte = 0;
    QuicDataWriter writer(
        absl::MakeSpan(datagram).subspan(offset, datagram.size() - offset));
    size_t pn_offset = 0;
    if (!WritePacketHeader(header, kPacketNumberLength, pn,
                           plan.length + kAeadTagLength, &writer, &pn_offset)) {
      QUICSIM_CHECK(false);
    }
    const size_t header_size = writer.length();
    writer.WriteBytes(absl::MakeConstSpan(plan.plaintext.data(), plan.length));
    const size_t space_left = datagram.size() - offset;
    absl::StatusOr<size_t> sealed =
        L(plan.level)
            .write->SealPacket(
                absl::MakeSpan(datagram).subspan(offset, space_left), pn_offset,
                kPacketNumberLength, pn, plan.length);
    QUICSIM_CHECK(sealed.ok());
    (void)header_size;
    const size_t packet_size = *sealed;
    offset += packet_size;
    levels |= static_cast<uint8_t>(1u << static_cast<int>(plan.level));
    const uint64_t token = next_token_++;
    sent_records_[token] = plan.record;
    sent.push_back({space, pn, static_cast<uint32_t>(packet_size),
                    plan.ack_eliciting, plan.ack_eliciting || plan.padded,
                    token});
    ++stats_.packets_sent;
    if (observer_ != nullptr)
      observer_->OnPacketSent(options_.perspective, plan.level);
    if (TraceOn()) {
      Trace(
          "packet_sent",
          absl::StrFormat(
              "type=%s pn=%d size=%d%s%s%s%s", PacketTypeName(header.type), pn,
              packet_size, plan.record.has_ack ? " ack" : "",
              plan.record.crypto_length > 0
                  ? absl::StrFormat(" crypto=%d+%d", plan.record.crypto_offset,
                                    plan.record.crypto_length)
                  : std::string(),
              plan.record.handshake_done ? " handshake_done" : "",
              plan.record.stream ? " stream" : ""));
    }
    if (plan.level == EncryptionLevel::kHandshake)
      sent_handshake_packet_ = true;
  }
  datagram.resize(offset);
  for (const SentPacket& p : sent) {
    loss_.OnPacketSent(p.space, p.pn, now, p.bytes, p.ack_eliciting,
                       p.in_flight, p.token);
    if (p.ack_eliciting) {
      if (ack_eliciting_sent_since_receive_ == 0) ResetIdleTimer();
      ++ack_eliciting_sent_since_receive_;
    }
  }
  Transmit(std::move(datagram), levels, false);
  // RFC 9001 §4.9.1: a client discards Initial keys once it sends a
  // Handshake packet.
  if (is_client() && sent_handshake_packet_) {
    DiscardKeys(EncryptionLevel::kInitial);
  }
  return true;
}

void Connection::Transmit(std::vector<uint8_t> payload, uint8_t levels,
                          bool has_close) {
  const size_t size = payload.size();
  if (!AddressValidated()) bytes_sent_before_validation_ += size;
  ++stats_.datagrams_sent;
  stats_.bytes_sent += size;
  if (observer_ != nullptr) {
    observer_->OnDatagramSent(options_.perspective, size, levels, has_close);
  }
  if (has_close && options_.faults.lose_connection_close) {
    if (TraceOn()) {
      Trace("datagram_lost_by_fault",
            absl::StrFormat("size=%d reason=lose_connection_close", size));
    }
    return;
  }
  sim::Datagram datagram;
  datagram.src = options_.local;
  datagram.dst = options_.peer;
  datagram.payload = std::move(payload);
  network_->Send(std::move(datagram));
}

void Connection::SendVersionProbe() {
  // A long-header packet of the unknown version: the server cannot parse
  // beyond the invariants, so the rest is random padding (RFC 8999).
  std::vector<uint8_t> probe(kMinInitialDatagramSize);
  QuicDataWriter writer(absl::MakeSpan(probe));
  writer.WriteUInt8(0xc0);
  writer.WriteUInt32(version_);
  writer.WriteUInt8(static_cast<uint8_t>(peer_cid_.size()));
  writer.WriteBytes(peer_cid_.span());
  writer.WriteUInt8(static_cast<uint8_t>(local_cid_.size()));
  writer.WriteBytes(local_cid_.span());
  rng_.Fill(probe.data() + writer.length(), probe.size() - writer.length());
  if (TraceOn()) {
    Trace("packet_sent",
          absl::StrFormat("type=UnknownVersion version=%08x size=%d", version_,
                          probe.size()));
  }
  Transmit(std::move(probe), 1, false);
}

void Connection::ArmVersionAlarm() {
  // The first Initial's PTO (3 x the initial RTT), doubling per round.
  const int round = std::min(version_rounds_++, 12);
  version_alarm_.Set(scheduler_->Now() +
                     kInitialRtt * 3 * (int64_t{1} << round));
}

void Connection::SendConnectionClosePackets() {
  static constexpr EncryptionLevel kOrder[] = {EncryptionLevel::kInitial,
                                               EncryptionLevel::kHandshake,
                                               EncryptionLevel::kOneRtt};
  const uint64_t budget = AmplificationBudget();
  std::vector<uint8_t> datagram(options_.max_datagram_size + 64);
  size_t offset = 0;
  uint8_t levels = 0;
  for (EncryptionLevel level : kOrder) {
    LevelState& keys = L(level);
    if (keys.write == nullptr) continue;
    // RFC 9000 §10.2.3: before confirmation the client may not know whether
    // the server has Handshake/1-RTT keys, so every level is used; only
    // transport closes (0x1c) are sent.
    uint8_t plaintext[256];
    QuicDataWriter frames(absl::MakeSpan(plaintext));
    ConnectionCloseFrame close;
    close.error_code = close_code_;
    const size_t reason_len = std::min<size_t>(close_reason_.size(), 100);
    close.reason = absl::MakeConstSpan(
        reinterpret_cast<const uint8_t*>(close_reason_.data()), reason_len);
    WriteConnectionCloseFrame(close, &frames);
    size_t payload_len = frames.length();
    std::vector<uint8_t> payload(plaintext, plaintext + payload_len);
    if (is_client() && level == EncryptionLevel::kInitial) {
      // Client datagrams carrying Initial packets must reach 1200 bytes
      // (RFC 9000 §14.1): pad this packet so that its header, payload and
      // tag alone fill them.
      const size_t target =
          kMinInitialDatagramSize - PacketHeaderLength(level) - kAeadTagLength;
      if (payload.size() < target) payload.resize(target, 0);
    }
    const PacketNumberSpace space = SpaceOf(level);
    const uint64_t pn = next_pn_[static_cast<int>(space)]++;
    PacketHeader header;
    header.type = PacketTypeOfLevel(level);
    header.version = version_;
    header.dcid = peer_cid_;
    header.scid = local_cid_;
    header.token = retry_token_;
    QuicDataWriter writer(
        absl::MakeSpan(datagram).subspan(offset, datagram.size() - offset));
    size_t pn_offset = 0;
    if (!WritePacketHeader(header, kPacketNumberLength, pn,
                           payload.size() + kAeadTagLength, &writer,
                           &pn_offset) ||
        !writer.WriteBytes(payload)) {
      break;
    }
    absl::StatusOr<size_t> sealed = keys.write->SealPacket(
        absl::MakeSpan(datagram).subspan(offset, datagram.size() - offset),
        pn_offset, kPacketNumberLength, pn, payload.size());
    if (!sealed.ok()) break;
    if (offset + *sealed > budget) break;  // amplification limit
    offset += *sealed;
    levels |= static_cast<uint8_t>(1u << static_cast<int>(level));
    ++stats_.packets_sent;
    if (observer_ != nullptr)
      observer_->OnPacketSent(options_.perspective, level);
    if (TraceOn()) {
      Trace("packet_sent",
            absl::StrFormat("type=%s pn=%d size=%d connection_close=%s",
                            PacketTypeName(header.type), pn, *sealed,
                            TransportErrorName(close_code_)));
    }
  }
  if (offset == 0) return;
  datagram.resize(offset);
  Transmit(std::move(datagram), levels, true);
}

// ---------------------------------------------------------------------------
// Timers

void Connection::UpdateRecoveryFlags() {
  RecoveryFlags flags;
  flags.peer_completed_address_validation =
      !is_client() || peer_completed_address_validation_ ||
      state_ == State::kConfirmed;
  flags.handshake_confirmed = state_ == State::kConfirmed;
  flags.has_handshake_keys = L(EncryptionLevel::kHandshake).write != nullptr;
  flags.at_anti_amplification_limit =
      !is_client() && AmplificationBudget() < kMinInitialDatagramSize;
  const RecoveryFlags& old = loss_.flags();
  if (old.peer_completed_address_validation !=
          flags.peer_completed_address_validation ||
      old.handshake_confirmed != flags.handshake_confirmed ||
      old.has_handshake_keys != flags.has_handshake_keys ||
      old.at_anti_amplification_limit != flags.at_anti_amplification_limit) {
    loss_.SetFlags(flags, scheduler_->Now());
  }
}

void Connection::ArmTimers() {
  if (state_ != State::kHandshake && state_ != State::kConfirmed) return;
  UpdateRecoveryFlags();
  const sim::Time loss_before = loss_alarm_.deadline();
  loss_alarm_.Set(loss_.LossDetectionTimer());
  if (TraceOn()) TraceLossTimer(loss_before);
  sim::Time ack_deadline = sim::Time::Infinite();
  for (int s = 0; s < kNumPacketNumberSpaces; ++s) {
    if (!acks_[s]->HasNewPackets()) continue;
    const EncryptionLevel level = AckLevelOf(static_cast<PacketNumberSpace>(s));
    if (L(level).write == nullptr) continue;
    ack_deadline = std::min(ack_deadline, acks_[s]->Deadline());
  }
  ack_alarm_.Set(ack_deadline);
}

void Connection::ResetIdleTimer() {
  if (idle_timeout_.nanos() <= 0) return;
  // RFC 9000 §10.1: at least three PTOs.
  sim::Duration timeout = std::max(idle_timeout_, CurrentPto() * 3);
  idle_alarm_.Set(scheduler_->Now() + timeout);
}

sim::Duration Connection::CurrentPto() const {
  return loss_.rtt().Pto(state_ == State::kConfirmed);
}

void Connection::OnLossDetectionAlarm() {
  if (state_ != State::kHandshake && state_ != State::kConfirmed) return;
  if (TraceOn()) TraceLossTimerExpired();
  loss_.OnLossDetectionTimeout(scheduler_->Now(), &outcome_);
  OnPacketsLost(outcome_.lost);
  if (outcome_.probe.count > 0) {
    ++stats_.ptos;
    PacketNumberSpace space = outcome_.probe.space;
    if (outcome_.probe.anti_deadlock && is_client()) {
      space = L(EncryptionLevel::kHandshake).write != nullptr
                  ? PacketNumberSpace::kHandshake
                  : PacketNumberSpace::kInitial;
    }
    // A space whose keys are gone cannot carry the probe.
    const EncryptionLevel level = AckLevelOf(space);
    if (space == PacketNumberSpace::kApplication) {
      // Probes carry what is still unacknowledged, not only CRYPTO data:
      // a lost HANDSHAKE_DONE would otherwise never be sent again until
      // loss detection declares its packet lost, which needs an ACK.
      if (!is_client() && handshake_complete_ && !handshake_done_acked_) {
        handshake_done_pending_ = true;
      }
      if (is_client() && !options_.request.empty() && !request_acked_) {
        request_pending_ = true;
      }
    }
    if (L(level).write != nullptr) {
      probes_pending_[static_cast<int>(space)] = outcome_.probe.count;
    } else if (L(EncryptionLevel::kHandshake).write != nullptr) {
      probes_pending_[static_cast<int>(PacketNumberSpace::kHandshake)] =
          outcome_.probe.count;
    }
    if (TraceOn()) {
      Trace("pto", absl::StrFormat(
                       "space=%s count=%d pto_count=%d%s", SpaceName(space),
                       outcome_.probe.count, loss_.pto_count(),
                       outcome_.probe.anti_deadlock ? " anti_deadlock" : ""));
    }
  }
  SendPending();
}

void Connection::OnAckAlarm() { SendPending(); }

void Connection::OnIdleAlarm() {
  if (state_ == State::kFinished) return;
  if (TraceOn()) Trace("idle_timeout", "");
  if (!verdict_.final()) {
    SetVerdict(Verdict::Kind::kTimedOut, 0, "idle timeout");
  }
  state_ = State::kFinished;
  MaybeDone();
}

void Connection::OnCloseAlarm() {
  close_repeat_alarm_.Cancel();
  if (TraceOn()) Trace("closing_period_ended", "");
  if (observer_ != nullptr)
    observer_->OnClosingPeriodEnded(options_.perspective);
  state_ = State::kFinished;
  MaybeDone();
}

void Connection::OnCloseRepeatAlarm() {
  if (state_ != State::kClosing || close_repeats_ >= kMaxCloseRepeats) return;
  ++close_repeats_;
  SendConnectionClosePackets();
  close_repeat_alarm_.Set(scheduler_->Now() +
                          CurrentPto() * (int64_t{1} << close_repeats_));
}

void Connection::OnVersionAlarm() {
  if (!awaiting_version_negotiation_) return;
  // Like a PTO: two probes per expiry, backing off, until the idle timer
  // gives up.
  SendVersionProbe();
  SendVersionProbe();
  ArmVersionAlarm();
}

// ---------------------------------------------------------------------------
// Closing and verdicts

void Connection::CloseWithStatus(const absl::Status& status) {
  uint64_t code;
  if (std::optional<tls::Error> error = tls::Error::FromStatus(status)) {
    code = error->quic_error_code();
  } else {
    code = QuicErrorCodeOf(status);
  }
  CloseConnection(code, status.message());
}

void Connection::CloseConnection(uint64_t code, absl::string_view reason) {
  if (state_ == State::kClosing || state_ == State::kDraining ||
      state_ == State::kFinished) {
    return;
  }
  close_code_ = code;
  close_reason_ = std::string(reason);
  loss_alarm_.Cancel();
  ack_alarm_.Cancel();
  idle_alarm_.Cancel();
  version_alarm_.Cancel();
  if (stats_.datagrams_sent == 0 && is_client()) {
    // Failed before the first flight: a local error, nothing sent.
    SetVerdict(Verdict::Kind::kAborted, code, reason);
    state_ = State::kFinished;
    MaybeDone();
    return;
  }
  SetVerdict(Verdict::Kind::kClosedSent, code, reason);
  state_ = State::kClosing;
  // Sent twice: a single lost datagram would otherwise leave the peer to
  // its idle timeout whenever it has nothing left to retransmit.
  SendConnectionClosePackets();
  SendConnectionClosePackets();
  // RFC 9000 §10.2 asks for at least three PTOs. A peer still on its
  // initial RTT estimate retransmits after ~1 s, 3 s, 7 s, 15 s, ... until
  // its idle timeout, so the closing state lasts that long: every
  // retransmission that gets through is answered, and a lost
  // CONNECTION_CLOSE is not the end of the story.
  close_alarm_.Set(scheduler_->Now() +
                   std::max(CurrentPto() * 3, idle_timeout_));
  // The peer may be unable to provoke an answer: a server blocked by the
  // anti-amplification limit sends nothing more. Repeat the close on a
  // backoff (PTO, 2 PTO, 4 PTO, ...) a few times as well.
  close_repeats_ = 0;
  close_repeat_alarm_.Set(scheduler_->Now() + CurrentPto());
}

void Connection::SetVerdict(Verdict::Kind kind, uint64_t code,
                            absl::string_view reason) {
  if (verdict_.final()) {
    // A confirmed connection can still fail afterwards; errors override.
    if (verdict_.kind != Verdict::Kind::kConfirmed ||
        kind == Verdict::Kind::kTimedOut) {
      return;
    }
  }
  verdict_.kind = kind;
  verdict_.code = code;
  verdict_.reason = std::string(reason);
  verdict_.elapsed = scheduler_->Now() - start_time_;
  if (engine_ != nullptr) {
    verdict_.resumed = engine_->resumed();
    verdict_.early_data_accepted = engine_->early_data_accepted();
    if (engine_->failed() && engine_->client_hello_sent()) {
      verdict_.engine_error_code = engine_->error().quic_error_code();
    }
  }
  if (TraceOn()) Trace("verdict", VerdictToString(verdict_));
  if (observer_ != nullptr)
    observer_->OnVerdict(options_.perspective, verdict_);
}

void Connection::MaybeDone() {
  if (done_) return;
  bool done = false;
  if (state_ == State::kFinished) {
    done = true;
  } else if (state_ == State::kConfirmed) {
    if (is_client()) {
      done = (!options_.wait_for_session_ticket || received_session_.valid()) &&
             (options_.request.empty() || request_acked_);
    } else {
      done = request_received_ >= options_.expect_request_bytes &&
             handshake_done_acked_;
    }
  }
  if (!done) return;
  done_ = true;
  if (TraceOn()) Trace("done", VerdictToString(verdict_));
  if (on_done_) on_done_();
}

void Connection::MarkAddressValidated() {
  if (address_validated_) return;
  address_validated_ = true;
  if (observer_ != nullptr) observer_->OnAddressValidated(options_.perspective);
  if (TraceOn()) Trace("address_validated", "by=retry_token");
}

void Connection::Stop() {
  loss_alarm_.Cancel();
  ack_alarm_.Cancel();
  idle_alarm_.Cancel();
  close_alarm_.Cancel();
  close_repeat_alarm_.Cancel();
  version_alarm_.Cancel();
  if (state_ != State::kFinished) state_ = State::kFinished;
  if (engine_ != nullptr) engine_->Close();
}

}  // namespace quicsim::endpoints
