// QUIC frames (RFC 9000 §19): decoding with the per-level permission table
// of §12.4 (Table 3), and encoding of the frames the handshake endpoints send.
//
// Decoded frames hold spans into the (decrypted) payload buffer; they are
// valid as long as that buffer is. Decode failures carry the QUIC error code
// to send (error_codes.h): FRAME_ENCODING_ERROR for unknown types and bad
// encodings, PROTOCOL_VIOLATION for frames not allowed at the level.
// Role rules (NEW_TOKEN and HANDSHAKE_DONE only from servers) are the
// connection's to enforce.
#ifndef QUICSIM_ENDPOINTS_FRAMES_H_
#define QUICSIM_ENDPOINTS_FRAMES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "endpoints/quic_data_reader.h"
#include "endpoints/quic_data_writer.h"
#include "endpoints/types.h"

namespace quicsim::endpoints {

// Frame type values (RFC 9000 §19, Table 3).
enum FrameType : uint64_t {
  kPaddingFrame = 0x00,
  kPingFrame = 0x01,
  kAckFrame = 0x02,
  kAckEcnFrame = 0x03,
  kResetStreamFrame = 0x04,
  kStopSendingFrame = 0x05,
  kCryptoFrame = 0x06,
  kNewTokenFrame = 0x07,
  kStreamFrameFirst = 0x08,  // 0x08-0x0f: OFF=0x04, LEN=0x02, FIN=0x01
  kStreamFrameLast = 0x0f,
  kMaxDataFrame = 0x10,
  kMaxStreamDataFrame = 0x11,
  kMaxStreamsBidiFrame = 0x12,
  kMaxStreamsUniFrame = 0x13,
  kDataBlockedFrame = 0x14,
  kStreamDataBlockedFrame = 0x15,
  kStreamsBlockedBidiFrame = 0x16,
  kStreamsBlockedUniFrame = 0x17,
  kNewConnectionIdFrame = 0x18,
  kRetireConnectionIdFrame = 0x19,
  kPathChallengeFrame = 0x1a,
  kPathResponseFrame = 0x1b,
  kConnectionCloseTransportFrame = 0x1c,
  kConnectionCloseApplicationFrame = 0x1d,
  kHandshakeDoneFrame = 0x1e,
};

// True if a frame of `type` may appear in a packet of `level` (Table 3).
// Unknown types return false.
bool IsFrameAllowedAtLevel(uint64_t type, EncryptionLevel level);
// True if `type` is a frame type of RFC 9000.
bool IsKnownFrameType(uint64_t type);
// True if a frame of this type makes its packet ack-eliciting: every type
// except ACK, PADDING and CONNECTION_CLOSE (§13.2).
bool IsAckElicitingFrameType(uint64_t type);

// A run of PADDING bytes (consecutive 0x00 bytes are decoded as one).
struct PaddingFrame {
  size_t length = 1;
};
// PING.
struct PingFrame {};
// ACK / ACK_ECN. `ranges` are descending and disjoint; ranges[0].largest is
// the Largest Acknowledged. `ack_delay` is the encoded value (multiply by
// 2^ack_delay_exponent microseconds).
struct AckFrame {
  absl::InlinedVector<PacketNumberRange, 4> ranges;
  uint64_t ack_delay = 0;
  bool has_ecn = false;
  uint64_t ect0 = 0, ect1 = 0, ecn_ce = 0;
  uint64_t largest_acked() const { return ranges.front().largest; }
};
// CRYPTO: handshake bytes at `offset` of the level's crypto stream.
struct CryptoFrame {
  uint64_t offset = 0;
  absl::Span<const uint8_t> data;
};
// NEW_TOKEN (server to client).
struct NewTokenFrame {
  absl::Span<const uint8_t> token;
};
// STREAM (all eight type variants).
struct StreamFrame {
  uint64_t stream_id = 0;
  uint64_t offset = 0;
  bool fin = false;
  absl::Span<const uint8_t> data;
};
// NEW_CONNECTION_ID.
struct NewConnectionIdFrame {
  uint64_t sequence_number = 0;
  uint64_t retire_prior_to = 0;
  ConnectionId connection_id;
  std::array<uint8_t, 16> stateless_reset_token{};
};
// CONNECTION_CLOSE, transport (0x1c) or application (0x1d) variant.
struct ConnectionCloseFrame {
  bool application = false;
  uint64_t error_code = 0;
  uint64_t frame_type = 0;  // transport variant only
  absl::Span<const uint8_t> reason;
};
// HANDSHAKE_DONE (server to client).
struct HandshakeDoneFrame {};
// A frame that is validated and then ignored by the handshake endpoints
// (RESET_STREAM, STOP_SENDING, MAX_*, *_BLOCKED, RETIRE_CONNECTION_ID,
// PATH_CHALLENGE, PATH_RESPONSE). `type` is the wire type.
struct IgnoredFrame {
  uint64_t type = 0;
};

// Any decoded frame.
using Frame =
    std::variant<PaddingFrame, PingFrame, AckFrame, CryptoFrame, NewTokenFrame,
                 StreamFrame, NewConnectionIdFrame, ConnectionCloseFrame,
                 HandshakeDoneFrame, IgnoredFrame>;

// Decodes the next frame from `reader`, which must not be empty, checking
// that its type is allowed at `level`. On error the reader position is
// unspecified.
absl::StatusOr<Frame> ParseFrame(QuicDataReader* reader, EncryptionLevel level);

// Decodes a whole packet payload. An empty payload is a PROTOCOL_VIOLATION
// (§12.4).
absl::StatusOr<std::vector<Frame>> ParseFrames(
    absl::Span<const uint8_t> payload, EncryptionLevel level);

// Encoders. Each returns false (having written a partial frame at most up to
// the buffer's end — discard the writer's buffer then) if it does not fit or
// a value is out of range.
bool WritePaddingFrame(size_t length, QuicDataWriter* writer);
bool WritePingFrame(QuicDataWriter* writer);
// `frame.ranges` must be non-empty, descending and disjoint.
bool WriteAckFrame(const AckFrame& frame, QuicDataWriter* writer);
bool WriteCryptoFrame(uint64_t offset, absl::Span<const uint8_t> data,
                      QuicDataWriter* writer);
bool WriteNewTokenFrame(absl::Span<const uint8_t> token,
                        QuicDataWriter* writer);
// Always writes the OFF and LEN fields (type 0x0e / 0x0f with FIN).
bool WriteStreamFrame(const StreamFrame& frame, QuicDataWriter* writer);
bool WriteNewConnectionIdFrame(const NewConnectionIdFrame& frame,
                               QuicDataWriter* writer);
bool WriteConnectionCloseFrame(const ConnectionCloseFrame& frame,
                               QuicDataWriter* writer);
bool WriteHandshakeDoneFrame(QuicDataWriter* writer);
// Writes any frame except IgnoredFrame.
bool WriteFrame(const Frame& frame, QuicDataWriter* writer);

// Bytes a CRYPTO frame header takes for `offset` and `length` (for
// packetization: payload room = space - overhead).
size_t CryptoFrameOverhead(uint64_t offset, uint64_t length);

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_FRAMES_H_
