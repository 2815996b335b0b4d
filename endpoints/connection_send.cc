// Connection output: which frames go into which packet, coalescing packets
// into datagrams (padding, the anti-amplification limit, the congestion
// window and PTO probes), sealing them with PacketAssembler and recording
// what was sent for loss recovery; Version Negotiation probes.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"
#include "endpoints/connection.h"
#include "endpoints/connection_internal.h"
#include "endpoints/frames.h"
#include "endpoints/packet_assembler.h"
#include "endpoints/quic_data_writer.h"

namespace quicsim::endpoints {
namespace {

using internal::kMinInitialDatagramSize;

// Largest UDP payload a connection builds (ConnectionOptions is clamped).
constexpr size_t kMaxDatagramSize = 1500;
// Datagrams one SendPending() may emit before yielding to the scheduler.
constexpr int kMaxDatagramsPerBurst = 32;

}  // namespace

uint64_t Connection::AmplificationBudget() const {
  if (AddressValidated()) return UINT64_MAX;
  const uint64_t limit = 3 * bytes_received_before_validation_;
  return limit > bytes_sent_before_validation_
             ? limit - bytes_sent_before_validation_
             : 0;
}

size_t Connection::PacketHeaderLength(EncryptionLevel level) const {
  return endpoints::PacketHeaderLength(level, peer_cid_.size(),
                                       local_cid_.size(), retry_token_.size());
}

PacketHeader Connection::OutgoingHeader(EncryptionLevel level) const {
  PacketHeader header;
  header.type = PacketTypeOfLevel(level);
  header.version = version_;
  header.dcid = peer_cid_;
  header.scid = local_cid_;
  header.token = retry_token_;
  return header;
}

bool Connection::HasDataToSend(EncryptionLevel level) const {
  const LevelState& keys = L(level);
  if (keys.write == nullptr) return false;
  const PacketSpace& space = Space(SpaceOf(level));
  if (space.probes_pending > 0 && level != EncryptionLevel::kZeroRtt) {
    return true;
  }
  if (level != EncryptionLevel::kZeroRtt && space.acks.HasNewPackets() &&
      space.acks.ShouldSendAck(scheduler_->Now())) {
    return true;
  }
  if (level != EncryptionLevel::kZeroRtt && space.crypto.HasPendingData()) {
    return true;
  }
  const PendingFrames& pending = AppPending();
  if (level == EncryptionLevel::kOneRtt && pending.handshake_done) return true;
  if (is_client() && pending.stream) {
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

// What one packet of the datagram being built carries, before its header
// and protection.
struct Connection::PacketPlan {
  EncryptionLevel level;
  std::array<uint8_t, kMaxDatagramSize> plaintext;
  size_t length = 0;
  SentRecord record;
  bool ack_eliciting = false;
  bool padded = false;
};

bool Connection::SendOneDatagram() {
  static constexpr EncryptionLevel kOrder[] = {
      EncryptionLevel::kInitial, EncryptionLevel::kZeroRtt,
      EncryptionLevel::kHandshake, EncryptionLevel::kOneRtt};
  const uint64_t budget = AmplificationBudget();
  const size_t limit = DatagramSizeLimit(budget);
  if (limit < 64) return false;
  const bool cwnd_open =
      loss_.congestion_controller().AvailableWindow() >= limit;
  bool any_probe = false;
  for (const PacketSpace& space : spaces_) {
    any_probe = any_probe || space.probes_pending > 0;
  }

  // Step 1: the frames of each packet, in level order.
  PacketPlans plans;
  size_t used = 0;
  for (EncryptionLevel level : kOrder) {
    if (!HasDataToSend(level)) continue;
    const size_t header_len = PacketHeaderLength(level);
    if (used + header_len + kAeadTagLength + 8 > limit) break;
    const size_t room = limit - used - header_len - kAeadTagLength;
    // Built in place: a plan carries a full datagram's worth of buffer.
    PacketPlan& plan = plans.emplace_back();
    if (!PlanPacket(level, room, cwnd_open, any_probe, &plan)) {
      plans.pop_back();
      continue;
    }
    used += header_len + plan.length + kAeadTagLength;
  }
  if (plans.empty()) return false;
  // Step 2: padding (RFC 9000 §14.1), unless the amplification limit
  // forbids it.
  if (!PadDatagram(plans, limit, budget, &used)) return false;
  // Step 3: headers, protection, bookkeeping, and off it goes.
  SealAndSend(plans, used);
  return true;
}

size_t Connection::DatagramSizeLimit(uint64_t budget) const {
  // Our own size, never above what the peer said it can receive.
  size_t limit = std::min(options_.max_datagram_size, kMaxDatagramSize);
  if (peer_max_udp_payload_size_ < limit) {
    limit = static_cast<size_t>(peer_max_udp_payload_size_);
  }
  if (budget < limit) limit = static_cast<size_t>(budget);
  return limit;
}

bool Connection::PlanPacket(EncryptionLevel level, size_t room, bool cwnd_open,
                            bool any_probe, PacketPlan* out) {
  PacketPlan& plan = *out;
  const PacketNumberSpace space_id = SpaceOf(level);
  PacketSpace& space = Space(space_id);
  PendingFrames& pending = AppPending();
  plan.level = level;
  plan.record.level = level;
  QuicDataWriter writer(absl::MakeSpan(plan.plaintext.data(), room));

  AckTracker& acks = space.acks;
  if (level != EncryptionLevel::kZeroRtt && acks.HasNewPackets()) {
    AckFrame ack;
    acks.GetAckRanges(&range_scratch_);
    ack.ranges.assign(range_scratch_.begin(), range_scratch_.end());
    if (!ack.ranges.empty()) {
      const sim::Time now = scheduler_->Now();
      ack.ack_delay = static_cast<uint64_t>(acks.AckDelay(now).micros()) >> 3;
      if (space_id != PacketNumberSpace::kApplication) ack.ack_delay = 0;
      if (WriteAckFrame(ack, &writer)) {
        acks.OnAckSent();
        plan.record.has_ack = true;
        plan.record.largest_acked_in_ack = ack.ranges.front().largest;
      } else {
        writer = QuicDataWriter(absl::MakeSpan(plan.plaintext.data(), room));
      }
    }
  }
  const bool probe = space.probes_pending > 0;
  // A probe datagram is exempt from the congestion window (RFC 9002
  // §7), and so is everything coalesced into it: lost Initial CRYPTO data
  // rides along with a Handshake probe. Otherwise a window filled by
  // Handshake packets the client cannot yet decrypt (so never acknowledges)
  // blocks the ServerHello retransmission those packets depend on.
  const bool may_send_data = cwnd_open || any_probe;
  if (level == EncryptionLevel::kOneRtt && pending.handshake_done &&
      may_send_data && WriteHandshakeDoneFrame(&writer)) {
    pending.handshake_done = false;
    plan.record.handshake_done = true;
    plan.ack_eliciting = true;
  }
  if (level != EncryptionLevel::kZeroRtt && may_send_data) {
    CryptoStream& crypto = space.crypto;
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
          plan.record.crypto_length = static_cast<uint32_t>(chunk.data.size());
          plan.ack_eliciting = true;
        } else if (!chunk.empty()) {
          crypto.OnLost(chunk.offset, chunk.data.size());
        }
      }
    }
  }
  if (is_client() && pending.stream && may_send_data &&
      (level == EncryptionLevel::kOneRtt ||
       (level == EncryptionLevel::kZeroRtt &&
        L(EncryptionLevel::kOneRtt).write == nullptr))) {
    StreamFrame frame;
    frame.stream_id = 0;
    frame.offset = 0;
    frame.fin = true;
    frame.data = options_.request;
    if (WriteStreamFrame(frame, &writer)) {
      pending.stream = false;
      plan.record.stream = true;
      plan.ack_eliciting = true;
    }
  }
  if (probe && !plan.ack_eliciting && WritePingFrame(&writer)) {
    plan.ack_eliciting = true;
  }
  if (probe && plan.ack_eliciting) --space.probes_pending;
  if (writer.length() == 0) return false;
  // Header protection samples 16 bytes starting 4 bytes after the packet
  // number: make sure the payload is long enough.
  const size_t min_payload = 4 - kPacketNumberLength;
  if (writer.length() < min_payload) {
    WritePaddingFrame(min_payload - writer.length(), &writer);
  }
  plan.length = writer.length();
  return true;
}

bool Connection::PadDatagram(PacketPlans& plans, size_t limit, uint64_t budget,
                             size_t* used) {
  bool has_initial = false;
  bool has_ack_eliciting_initial = false;
  for (const PacketPlan& plan : plans) {
    if (plan.level != EncryptionLevel::kInitial) continue;
    has_initial = true;
    if (plan.ack_eliciting) has_ack_eliciting_initial = true;
  }
  const bool must_pad = (is_client() && has_initial) ||
                        (!is_client() && has_ack_eliciting_initial);
  if (!must_pad || *used >= kMinInitialDatagramSize) return true;
  if (kMinInitialDatagramSize > limit) {
    // Blocked by the amplification limit: put the data back.
    for (PacketPlan& plan : plans) {
      if (plan.record.crypto_length > 0) {
        Crypto(plan.level)
            .OnLost(plan.record.crypto_offset, plan.record.crypto_length);
      }
      if (plan.record.handshake_done) AppPending().handshake_done = true;
      if (plan.record.stream) AppPending().stream = true;
      if (plan.ack_eliciting) {
        // The probe was not sent.
        PacketSpace& space = Space(SpaceOf(plan.level));
        if (space.probes_pending == 0 && loss_.pto_count() > 0) {
          space.probes_pending = 1;
        }
      }
    }
    if (TraceOn()) Trace(events::AmplificationBlocked{budget});
    return false;
  }
  PacketPlan& last = plans.back();
  const size_t pad = kMinInitialDatagramSize - *used;
  std::memset(last.plaintext.data() + last.length, 0, pad);
  last.length += pad;
  last.padded = true;
  *used += pad;
  return true;
}

void Connection::SealAndSend(PacketPlans& plans, size_t used) {
  const sim::Time now = scheduler_->Now();
  std::vector<uint8_t> datagram(used + 32);
  PacketAssembler assembler(absl::MakeSpan(datagram));
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
  absl::Status error;
  for (const PacketPlan& plan : plans) {
    const PacketNumberSpace space = SpaceOf(plan.level);
    const uint64_t pn = Space(space).next_packet_number++;
    const PacketHeader header = OutgoingHeader(plan.level);
    absl::StatusOr<size_t> sealed = assembler.Append(
        header, pn, absl::MakeConstSpan(plan.plaintext.data(), plan.length),
        *L(plan.level).write);
    if (!sealed.ok()) {
      error = sealed.status();
      break;
    }
    const size_t packet_size = *sealed;
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
      events::PacketSent traced{header.type, pn, packet_size, {}};
      if (plan.record.has_ack) {
        traced.frames.push_back({TracedFrame::Type::kAck});
      }
      if (plan.record.crypto_length > 0) {
        traced.frames.push_back({TracedFrame::Type::kCrypto,
                                 plan.record.crypto_offset,
                                 plan.record.crypto_length});
      }
      if (plan.record.handshake_done) {
        traced.frames.push_back({TracedFrame::Type::kHandshakeDone});
      }
      if (plan.record.stream) {
        traced.frames.push_back({TracedFrame::Type::kStream});
      }
      Trace(traced);
    }
    if (plan.level == EncryptionLevel::kHandshake)
      sent_handshake_packet_ = true;
  }
  datagram.resize(assembler.length());
  for (const SentPacket& p : sent) {
    loss_.OnPacketSent(p.space, p.pn, now, p.bytes, p.ack_eliciting,
                       p.in_flight, p.token);
    if (p.ack_eliciting) {
      if (ack_eliciting_sent_since_receive_ == 0) ResetIdleTimer();
      ++ack_eliciting_sent_since_receive_;
    }
  }
  if (!datagram.empty()) Transmit(std::move(datagram), levels, false);
  // RFC 9001 §4.9.1: a client discards Initial keys once it sends a
  // Handshake packet.
  if (is_client() && sent_handshake_packet_) {
    DiscardKeys(EncryptionLevel::kInitial);
  }
  // A packet that could not be assembled is an internal error, handled as
  // every other error: what was sealed before it is sent, then the
  // connection closes.
  if (!error.ok()) CloseWithStatus(error);
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
      Trace(events::DatagramLostByFault{size});
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
    Trace(events::VersionProbeSent{version_, probe.size()});
  }
  Transmit(std::move(probe), 1, false);
}

void Connection::ArmVersionAlarm() {
  // The first Initial's PTO (3 x the initial RTT), doubling per round.
  const int round = std::min(version_rounds_++, 12);
  timers_.Set(ConnectionTimer::kVersion,
              scheduler_->Now() + kInitialRtt * 3 * (int64_t{1} << round));
}

}  // namespace quicsim::endpoints
