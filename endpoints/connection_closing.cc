// Closing and draining (RFC 9000 §10.2): closing the connection with an
// error (CONNECTION_CLOSE sent at every level with keys, answered and
// repeated while closing, see closing.h), and draining after the peer's
// CONNECTION_CLOSE.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "endpoints/closing.h"
#include "endpoints/connection.h"
#include "endpoints/connection_internal.h"
#include "endpoints/error_codes.h"
#include "endpoints/frames.h"
#include "endpoints/packet_assembler.h"
#include "endpoints/quic_data_writer.h"
#include "tls/error.h"

namespace quicsim::endpoints {

using internal::kMinInitialDatagramSize;

void Connection::OnConnectionClose(uint64_t code, absl::string_view reason) {
  if (TraceOn()) {
    Trace(events::ConnectionCloseReceived{code, std::string(reason)});
  }
  SetVerdict(Verdict::Kind::kClosedReceived, code, reason);
  // RFC 9000 §10.2.2: draining for three PTOs, sending nothing.
  state_ = State::kDraining;
  timers_.Cancel(ConnectionTimer::kLossDetection);
  timers_.Cancel(ConnectionTimer::kAck);
  timers_.Cancel(ConnectionTimer::kIdle);
  timers_.Set(ConnectionTimer::kClose,
              scheduler_->Now() + CloseState::DrainingPeriod(CurrentPto()));
}

void Connection::SendConnectionClosePackets() {
  static constexpr EncryptionLevel kOrder[] = {EncryptionLevel::kInitial,
                                               EncryptionLevel::kHandshake,
                                               EncryptionLevel::kOneRtt};
  const uint64_t budget = AmplificationBudget();
  std::vector<uint8_t> datagram(options_.max_datagram_size + 64);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  uint8_t levels = 0;
  absl::Status error;
  for (EncryptionLevel level : kOrder) {
    LevelState& keys = L(level);
    if (keys.write == nullptr) continue;
    // RFC 9000 §10.2.3: before confirmation the client may not know whether
    // the server has Handshake/1-RTT keys, so every level is used; only
    // transport closes (0x1c) are sent.
    uint8_t plaintext[256];
    QuicDataWriter frames(absl::MakeSpan(plaintext));
    ConnectionCloseFrame close;
    close.error_code = closing_.code();
    const std::string& reason = closing_.reason();
    const size_t reason_len = std::min<size_t>(reason.size(), 100);
    close.reason = absl::MakeConstSpan(
        reinterpret_cast<const uint8_t*>(reason.data()), reason_len);
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
    const uint64_t pn = Space(SpaceOf(level)).next_packet_number++;
    const PacketHeader header = OutgoingHeader(level);
    absl::StatusOr<size_t> sealed =
        assembler.Append(header, pn, payload, *keys.write, budget);
    if (!sealed.ok()) {
      error = sealed.status();
      break;
    }
    if (*sealed == 0) break;  // amplification limit
    levels |= static_cast<uint8_t>(1u << static_cast<int>(level));
    ++stats_.packets_sent;
    if (observer_ != nullptr)
      observer_->OnPacketSent(options_.perspective, level);
    if (TraceOn()) {
      TracedFrame frame{TracedFrame::Type::kConnectionClose};
      frame.code = closing_.code();
      Trace(events::PacketSent{header.type, pn, *sealed, {frame}});
    }
  }
  if (assembler.length() != 0) {
    datagram.resize(assembler.length());
    Transmit(std::move(datagram), levels, true);
  }
  // A packet that could not be assembled is an internal error, handled as
  // every other error (here the connection is already closing).
  if (!error.ok()) CloseWithStatus(error);
}

void Connection::OnCloseAlarm() {
  timers_.Cancel(ConnectionTimer::kCloseRepeat);
  if (TraceOn()) Trace(events::ClosingPeriodEnded{});
  if (observer_ != nullptr)
    observer_->OnClosingPeriodEnded(options_.perspective);
  state_ = State::kFinished;
  MaybeDone();
}

void Connection::OnCloseRepeatAlarm() {
  if (state_ != State::kClosing || !closing_.TakeRepeat()) return;
  SendConnectionClosePackets();
  timers_.Set(ConnectionTimer::kCloseRepeat,
              scheduler_->Now() + closing_.RepeatDelay(CurrentPto()));
}

void Connection::CloseWithStatus(const absl::Status& status) {
  CloseConnection(QuicErrorCodeOf(status), status.message());
}

void Connection::CloseConnection(uint64_t code, absl::string_view reason) {
  if (state_ == State::kClosing || state_ == State::kDraining ||
      state_ == State::kFinished) {
    return;
  }
  closing_.Enter(code, reason);
  timers_.Cancel(ConnectionTimer::kLossDetection);
  timers_.Cancel(ConnectionTimer::kAck);
  timers_.Cancel(ConnectionTimer::kIdle);
  timers_.Cancel(ConnectionTimer::kVersion);
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
  timers_.Set(ConnectionTimer::kClose,
              scheduler_->Now() +
                  CloseState::ClosingPeriod(CurrentPto(), idle_timeout_));
  // The peer may be unable to provoke an answer: a server blocked by the
  // anti-amplification limit sends nothing more. Repeat the close on a
  // backoff (PTO, 2 PTO, 4 PTO, ...) a few times as well.
  timers_.Set(ConnectionTimer::kCloseRepeat,
              scheduler_->Now() + closing_.RepeatDelay(CurrentPto()));
}

}  // namespace quicsim::endpoints
