#include "endpoints/frames.h"

#include "absl/strings/str_format.h"
#include "endpoints/error_codes.h"

namespace quicsim::endpoints {
namespace {

// Level masks: bit i set = allowed at EncryptionLevel i (Initial=0, 0-RTT=1,
// Handshake=2, 1-RTT=3), transcribing the "Pkts" column of Table 3.
constexpr uint8_t kIH01 = 0b1111;
constexpr uint8_t kIH_1 = 0b1101;
constexpr uint8_t k__01 = 0b1010;
constexpr uint8_t k___1 = 0b1000;

constexpr uint8_t kLevelMask[] = {
    kIH01,  // 0x00 PADDING
    kIH01,  // 0x01 PING
    kIH_1,  // 0x02 ACK
    kIH_1,  // 0x03 ACK (ECN)
    k__01,  // 0x04 RESET_STREAM
    k__01,  // 0x05 STOP_SENDING
    kIH_1,  // 0x06 CRYPTO
    k___1,  // 0x07 NEW_TOKEN
    k__01, k__01, k__01, k__01, k__01, k__01, k__01, k__01,  // 0x08-0x0f STREAM
    k__01,                                                   // 0x10 MAX_DATA
    k__01,  // 0x11 MAX_STREAM_DATA
    k__01,  // 0x12 MAX_STREAMS (bidi)
    k__01,  // 0x13 MAX_STREAMS (uni)
    k__01,  // 0x14 DATA_BLOCKED
    k__01,  // 0x15 STREAM_DATA_BLOCKED
    k__01,  // 0x16 STREAMS_BLOCKED (bidi)
    k__01,  // 0x17 STREAMS_BLOCKED (uni)
    k__01,  // 0x18 NEW_CONNECTION_ID
    k__01,  // 0x19 RETIRE_CONNECTION_ID
    k__01,  // 0x1a PATH_CHALLENGE
    k___1,  // 0x1b PATH_RESPONSE
    kIH01,  // 0x1c CONNECTION_CLOSE (transport)
    k__01,  // 0x1d CONNECTION_CLOSE (application), §12.5
    k___1,  // 0x1e HANDSHAKE_DONE
};
constexpr uint64_t kNumFrameTypes = sizeof(kLevelMask);

absl::Status EncodingError(uint64_t type, absl::string_view what) {
  return QuicErrorStatus(TransportError::kFrameEncodingError,
                         absl::StrFormat("frame 0x%x: %s", type, what));
}

absl::StatusOr<Frame> ParseAck(uint64_t type, QuicDataReader* r) {
  AckFrame ack;
  uint64_t largest, range_count, first_range;
  if (!r->ReadVarInt62(&largest) || !r->ReadVarInt62(&ack.ack_delay) ||
      !r->ReadVarInt62(&range_count) || !r->ReadVarInt62(&first_range)) {
    return EncodingError(type, "truncated");
  }
  if (first_range > largest) return EncodingError(type, "first range");
  // Each further range takes at least two bytes.
  if (range_count > r->remaining() / 2) {
    return EncodingError(type, "range count");
  }
  ack.ranges.push_back({largest - first_range, largest});
  uint64_t smallest = largest - first_range;
  for (uint64_t i = 0; i < range_count; ++i) {
    uint64_t gap, length;
    if (!r->ReadVarInt62(&gap) || !r->ReadVarInt62(&length)) {
      return EncodingError(type, "truncated range");
    }
    // largest of the next range = smallest - gap - 2.
    if (smallest < gap + 2) return EncodingError(type, "gap underflow");
    const uint64_t next_largest = smallest - gap - 2;
    if (length > next_largest) return EncodingError(type, "range underflow");
    smallest = next_largest - length;
    ack.ranges.push_back({smallest, next_largest});
  }
  if (type == kAckEcnFrame) {
    ack.has_ecn = true;
    if (!r->ReadVarInt62(&ack.ect0) || !r->ReadVarInt62(&ack.ect1) ||
        !r->ReadVarInt62(&ack.ecn_ce)) {
      return EncodingError(type, "truncated ECN counts");
    }
  }
  return ack;
}

// Reads `n` varints; used for frames that are validated and ignored.
bool SkipVarInts(QuicDataReader* r, int n, uint64_t* last = nullptr) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) {
    if (!r->ReadVarInt62(&v)) return false;
  }
  if (last != nullptr) *last = v;
  return true;
}

absl::StatusOr<Frame> ParseCrypto(uint64_t type, QuicDataReader* r) {
  CryptoFrame crypto;
  uint64_t length;
  if (!r->ReadVarInt62(&crypto.offset) || !r->ReadVarInt62(&length)) {
    return EncodingError(type, "truncated");
  }
  if (length > r->remaining()) return EncodingError(type, "length");
  if (crypto.offset + length > kMaxVarInt62) {
    return EncodingError(type, "offset + length exceeds 2^62-1");
  }
  r->ReadSpan(length, &crypto.data);
  return crypto;
}

absl::StatusOr<Frame> ParseNewConnectionId(uint64_t type, QuicDataReader* r) {
  NewConnectionIdFrame ncid;
  absl::Span<const uint8_t> cid;
  if (!r->ReadVarInt62(&ncid.sequence_number) ||
      !r->ReadVarInt62(&ncid.retire_prior_to) ||
      !r->ReadUInt8LengthPrefixed(&cid) ||
      !r->ReadBytes(ncid.stateless_reset_token.data(), 16)) {
    return EncodingError(type, "truncated");
  }
  if (cid.empty() || cid.size() > ConnectionId::kMaxLength) {
    return EncodingError(type, "connection ID length");
  }
  if (ncid.retire_prior_to > ncid.sequence_number) {
    return EncodingError(type, "retire_prior_to > sequence number");
  }
  ncid.connection_id = ConnectionId(cid);
  return ncid;
}

// STREAM, types 0x08-0x0f (the low bits: OFF, LEN, FIN).
absl::StatusOr<Frame> ParseStream(uint64_t type, QuicDataReader* r) {
  StreamFrame stream;
  stream.fin = (type & 0x01) != 0;
  if (!r->ReadVarInt62(&stream.stream_id)) {
    return EncodingError(type, "truncated");
  }
  if ((type & 0x04) && !r->ReadVarInt62(&stream.offset)) {
    return EncodingError(type, "truncated offset");
  }
  uint64_t length = r->remaining();
  if ((type & 0x02) && !r->ReadVarInt62(&length)) {
    return EncodingError(type, "truncated length");
  }
  if (length > r->remaining()) return EncodingError(type, "length");
  if (stream.offset + length > kMaxVarInt62) {
    return EncodingError(type, "offset + length exceeds 2^62-1");
  }
  r->ReadSpan(length, &stream.data);
  return stream;
}

}  // namespace

bool IsKnownFrameType(uint64_t type) { return type < kNumFrameTypes; }

bool IsFrameAllowedAtLevel(uint64_t type, EncryptionLevel level) {
  if (!IsKnownFrameType(type)) return false;
  return (kLevelMask[type] >> static_cast<int>(level)) & 1;
}

bool IsAckElicitingFrameType(uint64_t type) {
  return type != kPaddingFrame && type != kAckFrame && type != kAckEcnFrame &&
         type != kConnectionCloseTransportFrame &&
         type != kConnectionCloseApplicationFrame;
}

absl::StatusOr<Frame> ParseFrame(QuicDataReader* r, EncryptionLevel level) {
  uint64_t type;
  if (!r->ReadVarInt62(&type)) {
    return QuicErrorStatus(TransportError::kFrameEncodingError,
                           "truncated frame type");
  }
  if (!IsKnownFrameType(type)) {
    return EncodingError(type, "unknown frame type");
  }
  if (!IsFrameAllowedAtLevel(type, level)) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           absl::StrFormat("frame 0x%x not allowed at level %d",
                                           type, static_cast<int>(level)));
  }
  switch (type) {
    case kPaddingFrame: {
      // Padded Initials carry ~1000 zero bytes: scan them in one pass.
      PaddingFrame padding;
      absl::Span<const uint8_t> rest = r->RemainingSpan();
      size_t zeros = 0;
      while (zeros < rest.size() && rest[zeros] == 0) ++zeros;
      r->Skip(zeros);
      padding.length += zeros;
      return padding;
    }
    case kPingFrame:
      return PingFrame{};
    case kAckFrame:
    case kAckEcnFrame:
      return ParseAck(type, r);
    case kCryptoFrame:
      return ParseCrypto(type, r);
    case kNewTokenFrame: {
      NewTokenFrame token;
      if (!r->ReadVarIntLengthPrefixed(&token.token)) {
        return EncodingError(type, "truncated");
      }
      if (token.token.empty()) return EncodingError(type, "empty token");
      return token;
    }
    case kNewConnectionIdFrame:
      return ParseNewConnectionId(type, r);
    case kConnectionCloseTransportFrame:
    case kConnectionCloseApplicationFrame: {
      ConnectionCloseFrame close;
      close.application = type == kConnectionCloseApplicationFrame;
      if (!r->ReadVarInt62(&close.error_code) ||
          (!close.application && !r->ReadVarInt62(&close.frame_type)) ||
          !r->ReadVarIntLengthPrefixed(&close.reason)) {
        return EncodingError(type, "truncated");
      }
      return close;
    }
    case kHandshakeDoneFrame:
      return HandshakeDoneFrame{};
    case kResetStreamFrame:
      if (!SkipVarInts(r, 3)) return EncodingError(type, "truncated");
      return IgnoredFrame{type};
    case kStopSendingFrame:
    case kMaxStreamDataFrame:
    case kStreamDataBlockedFrame:
      if (!SkipVarInts(r, 2)) return EncodingError(type, "truncated");
      return IgnoredFrame{type};
    case kMaxDataFrame:
    case kDataBlockedFrame:
    case kRetireConnectionIdFrame:
      if (!SkipVarInts(r, 1)) return EncodingError(type, "truncated");
      return IgnoredFrame{type};
    case kMaxStreamsBidiFrame:
    case kMaxStreamsUniFrame:
    case kStreamsBlockedBidiFrame:
    case kStreamsBlockedUniFrame: {
      uint64_t count;
      if (!SkipVarInts(r, 1, &count)) return EncodingError(type, "truncated");
      if (count > (uint64_t{1} << 60)) {
        return EncodingError(type, "stream count exceeds 2^60");
      }
      return IgnoredFrame{type};
    }
    case kPathChallengeFrame:
    case kPathResponseFrame:
      if (!r->Skip(8)) return EncodingError(type, "truncated");
      return IgnoredFrame{type};
    default:
      break;
  }
  // STREAM, 0x08-0x0f.
  return ParseStream(type, r);
}

absl::StatusOr<std::vector<Frame>> ParseFrames(
    absl::Span<const uint8_t> payload, EncryptionLevel level) {
  if (payload.empty()) {
    return QuicErrorStatus(TransportError::kProtocolViolation,
                           "packet without frames");
  }
  std::vector<Frame> frames;
  QuicDataReader reader(payload);
  while (!reader.empty()) {
    absl::StatusOr<Frame> frame = ParseFrame(&reader, level);
    if (!frame.ok()) return frame.status();
    frames.push_back(*std::move(frame));
  }
  return frames;
}

bool WritePaddingFrame(size_t length, QuicDataWriter* writer) {
  return writer->WriteZeros(length);
}

bool WritePingFrame(QuicDataWriter* writer) {
  return writer->WriteUInt8(kPingFrame);
}

bool WriteAckFrame(const AckFrame& frame, QuicDataWriter* writer) {
  if (frame.ranges.empty()) return false;
  const PacketNumberRange& first = frame.ranges.front();
  if (first.smallest > first.largest) return false;
  if (!writer->WriteVarInt62(frame.has_ecn ? kAckEcnFrame : kAckFrame) ||
      !writer->WriteVarInt62(first.largest) ||
      !writer->WriteVarInt62(frame.ack_delay) ||
      !writer->WriteVarInt62(frame.ranges.size() - 1) ||
      !writer->WriteVarInt62(first.largest - first.smallest)) {
    return false;
  }
  uint64_t smallest = first.smallest;
  for (size_t i = 1; i < frame.ranges.size(); ++i) {
    const PacketNumberRange& range = frame.ranges[i];
    if (range.smallest > range.largest || range.largest + 2 > smallest) {
      return false;
    }
    if (!writer->WriteVarInt62(smallest - range.largest - 2) ||
        !writer->WriteVarInt62(range.largest - range.smallest)) {
      return false;
    }
    smallest = range.smallest;
  }
  if (frame.has_ecn) {
    return writer->WriteVarInt62(frame.ect0) &&
           writer->WriteVarInt62(frame.ect1) &&
           writer->WriteVarInt62(frame.ecn_ce);
  }
  return true;
}

bool WriteCryptoFrame(uint64_t offset, absl::Span<const uint8_t> data,
                      QuicDataWriter* writer) {
  return writer->WriteVarInt62(kCryptoFrame) && writer->WriteVarInt62(offset) &&
         writer->WriteVarIntLengthPrefixed(data);
}

bool WriteNewTokenFrame(absl::Span<const uint8_t> token,
                        QuicDataWriter* writer) {
  return !token.empty() && writer->WriteVarInt62(kNewTokenFrame) &&
         writer->WriteVarIntLengthPrefixed(token);
}

bool WriteStreamFrame(const StreamFrame& frame, QuicDataWriter* writer) {
  const uint64_t type = 0x08 | 0x04 | 0x02 | (frame.fin ? 0x01 : 0);
  return writer->WriteVarInt62(type) &&
         writer->WriteVarInt62(frame.stream_id) &&
         writer->WriteVarInt62(frame.offset) &&
         writer->WriteVarIntLengthPrefixed(frame.data);
}

bool WriteNewConnectionIdFrame(const NewConnectionIdFrame& frame,
                               QuicDataWriter* writer) {
  if (frame.connection_id.empty() ||
      frame.retire_prior_to > frame.sequence_number) {
    return false;
  }
  return writer->WriteVarInt62(kNewConnectionIdFrame) &&
         writer->WriteVarInt62(frame.sequence_number) &&
         writer->WriteVarInt62(frame.retire_prior_to) &&
         writer->WriteUInt8(static_cast<uint8_t>(frame.connection_id.size())) &&
         writer->WriteBytes(frame.connection_id.span()) &&
         writer->WriteBytes(frame.stateless_reset_token);
}

bool WriteConnectionCloseFrame(const ConnectionCloseFrame& frame,
                               QuicDataWriter* writer) {
  if (!writer->WriteVarInt62(frame.application
                                 ? kConnectionCloseApplicationFrame
                                 : kConnectionCloseTransportFrame) ||
      !writer->WriteVarInt62(frame.error_code)) {
    return false;
  }
  if (!frame.application && !writer->WriteVarInt62(frame.frame_type)) {
    return false;
  }
  return writer->WriteVarIntLengthPrefixed(frame.reason);
}

bool WriteHandshakeDoneFrame(QuicDataWriter* writer) {
  return writer->WriteUInt8(kHandshakeDoneFrame);
}

bool WriteFrame(const Frame& frame, QuicDataWriter* writer) {
  struct Visitor {
    QuicDataWriter* w;
    bool operator()(const PaddingFrame& f) {
      return WritePaddingFrame(f.length, w);
    }
    bool operator()(const PingFrame&) { return WritePingFrame(w); }
    bool operator()(const AckFrame& f) { return WriteAckFrame(f, w); }
    bool operator()(const CryptoFrame& f) {
      return WriteCryptoFrame(f.offset, f.data, w);
    }
    bool operator()(const NewTokenFrame& f) {
      return WriteNewTokenFrame(f.token, w);
    }
    bool operator()(const StreamFrame& f) { return WriteStreamFrame(f, w); }
    bool operator()(const NewConnectionIdFrame& f) {
      return WriteNewConnectionIdFrame(f, w);
    }
    bool operator()(const ConnectionCloseFrame& f) {
      return WriteConnectionCloseFrame(f, w);
    }
    bool operator()(const HandshakeDoneFrame&) {
      return WriteHandshakeDoneFrame(w);
    }
    bool operator()(const IgnoredFrame&) { return false; }
  };
  return std::visit(Visitor{writer}, frame);
}

size_t CryptoFrameOverhead(uint64_t offset, uint64_t length) {
  return 1 + VarIntLength(offset) + VarIntLength(length);
}

}  // namespace quicsim::endpoints
