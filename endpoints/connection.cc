// Connection: start, input (datagrams, packets, frames, ACKs, client-side
// Version Negotiation and Retry), timers and verdicts. Output is in
// connection_send.cc, the TLS side in connection_tls.cc, closing and draining
// in connection_closing.cc.
#include "endpoints/connection.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <variant>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "endpoints/connection_internal.h"
#include "endpoints/error_codes.h"
#include "endpoints/frames.h"
#include "endpoints/packet_number.h"
#include "endpoints/quic_data_reader.h"
#include "endpoints/quic_data_writer.h"
#include "tls/env.h"
#include "tls/error.h"

namespace quicsim::endpoints {
namespace {

using internal::kMinInitialDatagramSize;

constexpr size_t kMaxUndecryptablePackets = 8;

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
      tracer_(trace, std::move(actor)),
      observer_(observer),
      rng_(sim::Rng::ForStream(rng_seed, "cid")),
      tls_random_(sim::Rng::ForStream(rng_seed, "tls")),
      spaces_(MakePacketSpaces(options_.max_ack_delay)),
      loss_(MakeLossConfig(options_.max_datagram_size)),
      timers_(scheduler, [this](ConnectionTimer timer) { OnTimer(timer); }) {
  idle_timeout_ = options_.idle_timeout;
}

Connection::~Connection() = default;

void Connection::InstallInitialKeys(const ConnectionId& client_dcid) {
  PacketProtector::InitialPair keys =
      PacketProtector::CreateInitialPair(client_dcid, options_.perspective);
  L(EncryptionLevel::kInitial).write = std::move(keys.write);
  L(EncryptionLevel::kInitial).read = std::move(keys.read);
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
    Trace(events::Start{local_cid_, peer_cid_, version_});
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
    AppPending().stream = !options_.request.empty();
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
  if (TraceOn()) {
    TraceTransportParameters(events::TransportParametersSet::Owner::kLocal,
                             params);
  }
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
    if (TraceOn()) Trace(events::DatagramDropped{"draining", std::nullopt});
    return;
  }
  if (state_ == State::kClosing) {
    // RFC 9000 §10.2.1: answer with CONNECTION_CLOSE, at most
    // kMaxCloseResponses times.
    if (closing_.TakeResponse()) {
      SendConnectionClosePackets();
    } else if (TraceOn()) {
      Trace(events::DatagramDropped{"closing", std::nullopt});
    }
    return;
  }

  DatagramPackets split =
      SplitDatagram(datagram.payload, options_.connection_id_length);
  if (!split.trailing_error.ok() && TraceOn()) {
    Trace(events::DatagramTrailingDropped{
        std::string(split.trailing_error.message())});
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

const char* Connection::EarlyDropReason(const PacketHeader& header,
                                        EncryptionLevel level,
                                        size_t datagram_size) const {
  if (awaiting_version_negotiation_) return "awaiting_version_negotiation";
  if (header.type != PacketType::kOneRtt && header.version != version_) {
    return "version_mismatch";
  }
  if (is_client() && level == EncryptionLevel::kZeroRtt) {
    return "0rtt_from_server";
  }
  if (!is_client() && level == EncryptionLevel::kInitial &&
      datagram_size < kMinInitialDatagramSize) {
    return "initial_datagram_too_small";
  }
  if (is_client()) {
    if (header.dcid != local_cid_) return "unknown_connection_id";
  } else if (header.dcid != local_cid_ &&
             header.dcid != options_.client_initial_dcid) {
    return "unknown_connection_id";
  }
  if (L(level).discarded) return "keys_discarded";
  return nullptr;
}

void Connection::ProcessPacket(const PacketHeader& header,
                               absl::Span<uint8_t> packet,
                               size_t datagram_size) {
  auto drop = [&](const char* reason) {
    ++stats_.packets_dropped;
    if (TraceOn()) {
      Trace(events::PacketDropped{header.type, packet.size(), reason});
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
  const EncryptionLevel level = LevelOfPacketType(header.type);
  if (const char* reason = EarlyDropReason(header, level, datagram_size)) {
    return drop(reason);
  }
  LevelState& keys = L(level);
  if (keys.read == nullptr) {
    if (undecryptable_.size() < kMaxUndecryptablePackets) {
      undecryptable_.push_back(
          {std::vector<uint8_t>(packet.begin(), packet.end()), level,
           datagram_size});
      return drop("keys_unavailable_buffered");
    }
    return drop("keys_unavailable");
  }
  PacketSpace& space = Space(SpaceOf(level));
  absl::StatusOr<OpenedPacket> opened =
      keys.read->OpenPacket(packet, header.pn_offset, space.largest_received);
  if (!opened.ok()) return drop("decryption_failed");
  absl::Status reserved =
      CheckReservedBits(IsLongHeader(level), opened->first_byte);
  if (!reserved.ok()) {
    CloseWithStatus(reserved);
    return;
  }
  const uint64_t pn = opened->packet_number;
  if (space.acks.IsDuplicate(pn)) return drop("duplicate");

  if (IsLongHeader(level) && !received_from_peer_) {
    received_from_peer_ = true;
    peer_initial_scid_ = header.scid;
    peer_cid_ = header.scid;
  }
  ++stats_.packets_received;
  // The payload is parsed once: the trace lists these frames, then they are
  // processed in order (up to a malformed one, whose error ends processing).
  ReceivedFrames frames;
  const absl::Status parsed =
      ParseReceivedFrames(level, opened->payload, &frames);
  if (TraceOn()) {
    events::PacketReceived received{header.type, pn, packet.size(), {}};
    for (const Frame& frame : frames) {
      received.frames.push_back(TracedFrameOf(frame));
    }
    if (!parsed.ok()) {
      received.frames.push_back({TracedFrame::Type::kMalformed});
    }
    Trace(received);
  }
  bool ack_eliciting = false;
  absl::Status status = ProcessFrames(level, frames, parsed, &ack_eliciting);
  if (state_ == State::kClosing || state_ == State::kDraining ||
      state_ == State::kFinished) {
    return;
  }
  if (!status.ok()) {
    CloseWithStatus(status);
    return;
  }
  if (!space.largest_received.has_value() || pn > *space.largest_received) {
    space.largest_received = pn;
  }
  space.acks.OnPacketReceived(pn, ack_eliciting, scheduler_->Now());
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
      if (TraceOn()) Trace(events::AddressValidated{"handshake_packet"});
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
      Trace(events::PacketDropped{PacketType::kVersionNegotiation, std::nullopt,
                                  "unexpected"});
    return;
  }
  std::vector<uint32_t> versions = VersionNegotiationVersions(header);
  if (TraceOn()) {
    Trace(
        events::VersionNegotiationReceived{{versions.begin(), versions.end()}});
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
  timers_.Cancel(ConnectionTimer::kVersion);
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
      Trace(events::PacketDropped{PacketType::kRetry, std::nullopt, reason});
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
    Trace(events::RetryReceived{header.scid, header.token.size()});
  }
  // New Initial keys for the new DCID; everything sent so far in Initial is
  // resent (RFC 9000 §17.2.5.2, RFC 9002 §6.3); packet numbers continue.
  InstallInitialKeys(peer_cid_);
  std::vector<SentPacketInfo> discarded;
  loss_.DiscardSpace(PacketNumberSpace::kInitial, scheduler_->Now(),
                     &discarded);
  for (const SentPacketInfo& info : discarded) sent_records_.erase(info.token);
  Crypto(EncryptionLevel::kInitial).RetransmitUnacked();
  if (!request_acked_ && !options_.request.empty()) AppPending().stream = true;
  SendPending();
}

absl::Status Connection::ParseReceivedFrames(EncryptionLevel level,
                                             absl::Span<const uint8_t> payload,
                                             ReceivedFrames* frames) {
  QuicDataReader reader(payload);
  while (!reader.empty()) {
    absl::StatusOr<Frame> frame = ParseFrame(&reader, level);
    if (!frame.ok()) return frame.status();
    frames->push_back(*std::move(frame));
  }
  return absl::OkStatus();
}

absl::Status Connection::ProcessFrames(EncryptionLevel level,
                                       const ReceivedFrames& frames,
                                       const absl::Status& parsed,
                                       bool* ack_eliciting) {
  if (frames.empty() && parsed.ok()) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           "packet without frames");
  }
  for (const Frame& frame : frames) {
    if (state_ != State::kHandshake && state_ != State::kConfirmed) {
      return absl::OkStatus();
    }
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
          if (TraceOn()) Trace(events::StreamReceived{level, end});
        }
        MaybeDone();
      }
    }
  }
  // A malformed frame ends the packet with its error, unless processing the
  // frames before it already ended the connection.
  if (state_ != State::kHandshake && state_ != State::kConfirmed) {
    return absl::OkStatus();
  }
  return parsed;
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
      AppPending().handshake_done = false;
    }
    if (rec.stream) {
      request_acked_ = true;
      AppPending().stream = false;
    }
    if (rec.has_ack)
      Space(space).acks.OnAckOfAckReceived(rec.largest_acked_in_ack);
    sent_records_.erase(it);
  }
  if (is_client() && space == PacketNumberSpace::kHandshake &&
      !outcome_.acked.empty()) {
    peer_completed_address_validation_ = true;
  }
  if (outcome_.rtt_updated && TraceOn()) {
    const RttEstimator& rtt = loss_.rtt();
    Trace(events::MetricsUpdated{
        rtt.min_rtt().micros(), rtt.smoothed_rtt().micros(),
        rtt.latest_rtt().micros(), rtt.rttvar().micros(),
        loss_.congestion_controller().congestion_window(),
        loss_.bytes_in_flight()});
  }
  OnPacketsLost(outcome_.lost, ack.largest_acked());
  if (TraceOn() && (!outcome_.acked.empty() || !outcome_.lost.empty())) {
    Trace(events::AckReceived{space, ack.largest_acked(), outcome_.acked.size(),
                              outcome_.lost.size()});
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
      AppPending().handshake_done = true;
    }
    if (rec.stream && !request_acked_) AppPending().stream = true;
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
  const sim::Time loss_before =
      timers_.deadline(ConnectionTimer::kLossDetection);
  timers_.Set(ConnectionTimer::kLossDetection, loss_.LossDetectionTimer());
  if (TraceOn()) TraceLossTimer(loss_before);
  if (observer_ != nullptr) {
    // While it probes for a version the client's timer is the version
    // alarm.
    observer_->OnLossTimer(
        options_.perspective,
        !timers_.deadline(ConnectionTimer::kLossDetection).IsInfinite() ||
            !timers_.deadline(ConnectionTimer::kVersion).IsInfinite(),
        is_client() && state_ == State::kHandshake &&
            !peer_completed_address_validation_);
  }
  sim::Time ack_deadline = sim::Time::Infinite();
  for (int s = 0; s < kNumPacketNumberSpaces; ++s) {
    const AckTracker& acks = spaces_[s].acks;
    if (!acks.HasNewPackets()) continue;
    const EncryptionLevel level = AckLevelOf(static_cast<PacketNumberSpace>(s));
    if (L(level).write == nullptr) continue;
    ack_deadline = std::min(ack_deadline, acks.Deadline());
  }
  timers_.Set(ConnectionTimer::kAck, ack_deadline);
}

void Connection::ResetIdleTimer() {
  if (idle_timeout_.nanos() <= 0) return;
  // RFC 9000 §10.1: at least three PTOs.
  sim::Duration timeout = std::max(idle_timeout_, CurrentPto() * 3);
  timers_.Set(ConnectionTimer::kIdle, scheduler_->Now() + timeout);
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
        AppPending().handshake_done = true;
      }
      if (is_client() && !options_.request.empty() && !request_acked_) {
        AppPending().stream = true;
      }
    }
    if (L(level).write != nullptr) {
      Space(space).probes_pending = outcome_.probe.count;
    } else if (L(EncryptionLevel::kHandshake).write != nullptr) {
      Space(PacketNumberSpace::kHandshake).probes_pending =
          outcome_.probe.count;
    }
    if (TraceOn()) {
      Trace(events::Pto{space, static_cast<int>(outcome_.probe.count),
                        static_cast<int>(loss_.pto_count()),
                        outcome_.probe.anti_deadlock});
    }
  }
  SendPending();
}

void Connection::OnTimer(ConnectionTimer timer) {
  switch (timer) {
    case ConnectionTimer::kLossDetection:
      OnLossDetectionAlarm();
      return;
    case ConnectionTimer::kAck:
      SendPending();
      return;
    case ConnectionTimer::kIdle:
      OnIdleAlarm();
      return;
    case ConnectionTimer::kClose:
      OnCloseAlarm();
      return;
    case ConnectionTimer::kCloseRepeat:
      OnCloseRepeatAlarm();
      return;
    case ConnectionTimer::kVersion:
      OnVersionAlarm();
      return;
  }
}

void Connection::OnIdleAlarm() {
  if (state_ == State::kFinished) return;
  if (TraceOn()) Trace(events::IdleTimeout{});
  if (!verdict_.final()) {
    SetVerdict(Verdict::Kind::kTimedOut, 0, "idle timeout");
  }
  state_ = State::kFinished;
  MaybeDone();
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
// Verdicts

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
      verdict_.engine_error_to_verdict = sim::Duration::Nanos(
          absl::ToInt64Nanoseconds(engine_->SinceFailure()));
    }
  }
  if (TraceOn()) Trace(events::VerdictSet{verdict_});
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
  if (TraceOn()) Trace(events::Done{verdict_});
  if (on_done_) on_done_();
}

void Connection::MarkAddressValidated() {
  if (address_validated_) return;
  address_validated_ = true;
  if (observer_ != nullptr) observer_->OnAddressValidated(options_.perspective);
  if (TraceOn()) Trace(events::AddressValidated{"retry_token"});
}

void Connection::Stop() {
  timers_.CancelAll();
  if (state_ != State::kFinished) state_ = State::kFinished;
  if (engine_ != nullptr) engine_->Close();
}

}  // namespace quicsim::endpoints
