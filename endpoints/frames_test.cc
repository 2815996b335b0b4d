#include "endpoints/frames.h"

#include <vector>

#include "endpoints/error_codes.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Encode(const Frame& frame) {
  Bytes buf(256);
  QuicDataWriter w(absl::MakeSpan(buf));
  EXPECT_TRUE(WriteFrame(frame, &w));
  buf.resize(w.length());
  return buf;
}

uint64_t ErrorOf(const Bytes& bytes, EncryptionLevel level) {
  QuicDataReader r(bytes);
  return QuicErrorCodeOf(ParseFrame(&r, level).status());
}

TEST(FramesTest, AckRoundTripWithRangesAndEcn) {
  AckFrame ack;
  ack.ranges = {{95, 100}, {80, 90}, {3, 3}};
  ack.ack_delay = 1234;
  Bytes wire = Encode(ack);
  // type 02, largest 100 (0x4064), delay 1234 (0x44d2), 2 more ranges,
  // first range 5, gap 95-90-2=3, len 10, gap 80-3-2=75 (0x404b), len 0.
  EXPECT_EQ(wire, (Bytes{0x02, 0x40, 0x64, 0x44, 0xd2, 0x02, 0x05, 0x03, 0x0a,
                         0x40, 0x4b, 0x00}));
  QuicDataReader r(wire);
  absl::StatusOr<Frame> f = ParseFrame(&r, EncryptionLevel::kHandshake);
  ASSERT_TRUE(f.ok()) << f.status();
  const AckFrame& got = std::get<AckFrame>(*f);
  EXPECT_EQ(got.ranges, ack.ranges);
  EXPECT_EQ(got.ack_delay, 1234u);
  EXPECT_FALSE(got.has_ecn);

  ack.has_ecn = true;
  ack.ect0 = 7;
  ack.ecn_ce = 1;
  wire = Encode(ack);
  EXPECT_EQ(wire[0], 0x03);
  QuicDataReader r2(wire);
  f = ParseFrame(&r2, EncryptionLevel::kOneRtt);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(std::get<AckFrame>(*f).has_ecn);
  EXPECT_EQ(std::get<AckFrame>(*f).ect0, 7u);
  EXPECT_EQ(std::get<AckFrame>(*f).ecn_ce, 1u);
}

TEST(FramesTest, AckRejectsUnderflow) {
  // first range larger than largest.
  EXPECT_EQ(ErrorOf({0x02, 0x05, 0x00, 0x00, 0x06}, EncryptionLevel::kInitial),
            Code(TransportError::kFrameEncodingError));
  // gap below zero: largest 5, first 0, gap 4 → next largest = 5-4-2 < 0.
  EXPECT_EQ(ErrorOf({0x02, 0x05, 0x00, 0x01, 0x00, 0x04, 0x00},
                    EncryptionLevel::kInitial),
            Code(TransportError::kFrameEncodingError));
  // range count larger than what the bytes can hold.
  EXPECT_EQ(ErrorOf({0x02, 0x05, 0x00, 0x3f, 0x00}, EncryptionLevel::kInitial),
            Code(TransportError::kFrameEncodingError));
}

TEST(FramesTest, RoundTripsEveryWritableFrame) {
  const Bytes data = {1, 2, 3, 4, 5};
  NewConnectionIdFrame ncid;
  ncid.sequence_number = 3;
  ncid.retire_prior_to = 1;
  ncid.connection_id = ConnectionId(Bytes{9, 8, 7, 6});
  ncid.stateless_reset_token.fill(0xab);
  ConnectionCloseFrame close;
  close.error_code = 0x178;
  close.frame_type = 0x06;
  close.reason = data;
  ConnectionCloseFrame app_close;
  app_close.application = true;
  app_close.error_code = 42;
  const std::vector<std::pair<Frame, EncryptionLevel>> frames = {
      {PaddingFrame{3}, EncryptionLevel::kInitial},
      {PingFrame{}, EncryptionLevel::kHandshake},
      {CryptoFrame{70000, data}, EncryptionLevel::kInitial},
      {NewTokenFrame{data}, EncryptionLevel::kOneRtt},
      {StreamFrame{4, 100, true, data}, EncryptionLevel::kZeroRtt},
      {ncid, EncryptionLevel::kOneRtt},
      {close, EncryptionLevel::kInitial},
      {app_close, EncryptionLevel::kOneRtt},
      {HandshakeDoneFrame{}, EncryptionLevel::kOneRtt},
  };
  for (const auto& [frame, level] : frames) {
    const Bytes wire = Encode(frame);
    QuicDataReader r(wire);
    absl::StatusOr<Frame> got = ParseFrame(&r, level);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(got->index(), frame.index());
    EXPECT_EQ(Encode(*got), wire);  // re-encoding is identical
    // Every truncation is an error, never a crash (PADDING excepted: a
    // shorter run of zeros is still PADDING).
    if (std::holds_alternative<PaddingFrame>(frame)) continue;
    for (size_t len = 0; len < wire.size(); ++len) {
      QuicDataReader t(absl::MakeConstSpan(wire.data(), len));
      absl::StatusOr<Frame> cut = ParseFrame(&t, level);
      if (std::holds_alternative<StreamFrame>(frame) && cut.ok()) {
        ADD_FAILURE() << "truncated STREAM parsed at " << len;
      } else if (!std::holds_alternative<StreamFrame>(frame)) {
        EXPECT_FALSE(cut.ok()) << len;
        EXPECT_EQ(QuicErrorCodeOf(cut.status()),
                  Code(TransportError::kFrameEncodingError));
      }
    }
  }
}

TEST(FramesTest, StreamFrameTypeVariants) {
  // 0x08: no offset, no length: data runs to the end of the packet.
  const Bytes implicit = {0x08, 0x04, 'h', 'i'};
  QuicDataReader r(implicit);
  absl::StatusOr<Frame> f = ParseFrame(&r, EncryptionLevel::kOneRtt);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(std::get<StreamFrame>(*f).data.size(), 2u);
  EXPECT_EQ(std::get<StreamFrame>(*f).stream_id, 4u);
  EXPECT_FALSE(std::get<StreamFrame>(*f).fin);
  // 0x0b: LEN + FIN, length past the end.
  EXPECT_EQ(ErrorOf({0x0b, 0x00, 0x05, 'a'}, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
}

TEST(FramesTest, PermissionTable) {
  // Table 3 of RFC 9000 §12.4.
  EXPECT_TRUE(IsFrameAllowedAtLevel(kCryptoFrame, EncryptionLevel::kInitial));
  EXPECT_FALSE(IsFrameAllowedAtLevel(kCryptoFrame, EncryptionLevel::kZeroRtt));
  EXPECT_FALSE(IsFrameAllowedAtLevel(kAckFrame, EncryptionLevel::kZeroRtt));
  EXPECT_TRUE(IsFrameAllowedAtLevel(kAckEcnFrame, EncryptionLevel::kHandshake));
  EXPECT_FALSE(
      IsFrameAllowedAtLevel(kStreamFrameFirst, EncryptionLevel::kHandshake));
  EXPECT_TRUE(
      IsFrameAllowedAtLevel(kStreamFrameLast, EncryptionLevel::kZeroRtt));
  EXPECT_FALSE(
      IsFrameAllowedAtLevel(kNewTokenFrame, EncryptionLevel::kZeroRtt));
  EXPECT_FALSE(
      IsFrameAllowedAtLevel(kHandshakeDoneFrame, EncryptionLevel::kHandshake));
  EXPECT_FALSE(
      IsFrameAllowedAtLevel(kPathResponseFrame, EncryptionLevel::kZeroRtt));
  EXPECT_TRUE(IsFrameAllowedAtLevel(kConnectionCloseTransportFrame,
                                    EncryptionLevel::kInitial));
  EXPECT_FALSE(IsFrameAllowedAtLevel(kConnectionCloseApplicationFrame,
                                     EncryptionLevel::kHandshake));
  EXPECT_EQ(ErrorOf({0x1e}, EncryptionLevel::kHandshake),
            Code(TransportError::kProtocolViolation));
  EXPECT_EQ(ErrorOf({0x08, 0x00}, EncryptionLevel::kInitial),
            Code(TransportError::kProtocolViolation));
  EXPECT_EQ(ErrorOf({0x1f}, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
  EXPECT_EQ(ErrorOf({0x40, 0x21}, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
  EXPECT_FALSE(IsAckElicitingFrameType(kAckFrame));
  EXPECT_TRUE(IsAckElicitingFrameType(kCryptoFrame));
}

TEST(FramesTest, MalformedFieldValues) {
  // NEW_TOKEN with an empty token.
  EXPECT_EQ(ErrorOf({0x07, 0x00}, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
  // NEW_CONNECTION_ID: retire_prior_to > sequence, and zero-length CID.
  Bytes ncid = {0x18, 0x01, 0x02, 0x01, 0xaa};
  ncid.resize(ncid.size() + 16);
  EXPECT_EQ(ErrorOf(ncid, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
  Bytes ncid0 = {0x18, 0x01, 0x00, 0x00};
  ncid0.resize(ncid0.size() + 16);
  EXPECT_EQ(ErrorOf(ncid0, EncryptionLevel::kOneRtt),
            Code(TransportError::kFrameEncodingError));
  // CRYPTO whose offset + length exceeds 2^62 - 1.
  EXPECT_EQ(ErrorOf({0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                     0x00},
                    EncryptionLevel::kInitial),
            Code(TransportError::kFrameEncodingError));
  // MAX_STREAMS above 2^60.
  EXPECT_EQ(
      ErrorOf({0x12, 0xd0, 0, 0, 0, 0, 0, 0, 1}, EncryptionLevel::kOneRtt),
      Code(TransportError::kFrameEncodingError));
  // Ignored frames parse.
  const Bytes max_data = {0x10, 0x44, 0x00};
  QuicDataReader r(max_data);
  absl::StatusOr<Frame> f = ParseFrame(&r, EncryptionLevel::kOneRtt);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(std::get<IgnoredFrame>(*f).type, kMaxDataFrame);
}

TEST(FramesTest, ParseFramesRejectsEmptyPayload) {
  absl::StatusOr<std::vector<Frame>> frames =
      ParseFrames({}, EncryptionLevel::kInitial);
  EXPECT_EQ(QuicErrorCodeOf(frames.status()),
            Code(TransportError::kProtocolViolation));
  frames =
      ParseFrames(Bytes{0x01, 0x00, 0x00, 0x01}, EncryptionLevel::kInitial);
  ASSERT_TRUE(frames.ok());
  EXPECT_EQ(frames->size(), 3u);  // PING, PADDING(2), PING
  EXPECT_EQ(CryptoFrameOverhead(0, 63), 3u);
  EXPECT_EQ(CryptoFrameOverhead(64, 64), 5u);
}

}  // namespace
}  // namespace quicsim::endpoints
