#include "endpoints/packet_header.h"

#include <vector>

#include "endpoints/error_codes.h"
#include "endpoints/rfc9001_vectors.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using rfc9001::FromHex;
using Bytes = std::vector<uint8_t>;

TEST(PacketHeaderTest, ParsesRfcClientInitial) {
  const Bytes packet = FromHex(rfc9001::kClientInitialPacket);
  absl::StatusOr<PacketHeader> h = ParsePacketHeader(packet, 8);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->type, PacketType::kInitial);
  EXPECT_EQ(h->version, kQuicVersion1);
  EXPECT_EQ(h->dcid, ConnectionId(FromHex(rfc9001::kDcid)));
  EXPECT_TRUE(h->scid.empty());
  EXPECT_TRUE(h->token.empty());
  EXPECT_EQ(h->length, 1182u);
  EXPECT_EQ(h->pn_offset, 18u);
  EXPECT_EQ(h->packet.size(), 1200u);
}

TEST(PacketHeaderTest, WriterReproducesRfcHeaders) {
  PacketHeader h;
  h.type = PacketType::kInitial;
  h.version = kQuicVersion1;
  h.dcid = ConnectionId(FromHex(rfc9001::kDcid));
  uint8_t buf[64];
  QuicDataWriter w(absl::MakeSpan(buf));
  size_t pn_offset;
  ASSERT_TRUE(WritePacketHeader(h, 4, 2, 1162 + 16, &w, &pn_offset));
  EXPECT_EQ(Bytes(buf, buf + w.length()),
            FromHex(rfc9001::kClientInitialHeader));
  EXPECT_EQ(pn_offset, 18u);

  PacketHeader s;
  s.type = PacketType::kInitial;
  s.version = kQuicVersion1;
  s.scid = ConnectionId(FromHex(rfc9001::kServerScid));
  QuicDataWriter w2(absl::MakeSpan(buf));
  ASSERT_TRUE(WritePacketHeader(s, 2, 1, 99 + 16, &w2, &pn_offset));
  EXPECT_EQ(Bytes(buf, buf + w2.length()),
            FromHex(rfc9001::kServerInitialHeader));

  PacketHeader one;
  one.type = PacketType::kOneRtt;
  QuicDataWriter w3(absl::MakeSpan(buf));
  ASSERT_TRUE(WritePacketHeader(one, 3, rfc9001::kChaChaPacketNumber, 17, &w3,
                                &pn_offset));
  EXPECT_EQ(Bytes(buf, buf + w3.length()), FromHex(rfc9001::kChaChaHeader));
  EXPECT_FALSE(WritePacketHeader(one, 5, 0, 0, &w3, &pn_offset));
}

TEST(PacketHeaderTest, InitialWithTokenAndCoalescedHandshake) {
  Bytes datagram(300);
  QuicDataWriter w(absl::MakeSpan(datagram));
  const Bytes token = {1, 2, 3, 4, 5};
  PacketHeader init;
  init.type = PacketType::kInitial;
  init.version = kQuicVersion1;
  init.dcid = ConnectionId(FromHex("0011223344"));
  init.scid = ConnectionId(FromHex("aa"));
  init.token = token;
  size_t pn_offset;
  ASSERT_TRUE(WritePacketHeader(init, 1, 7, 40, &w, &pn_offset));
  ASSERT_TRUE(w.WriteZeros(40));
  const size_t first_size = w.length();
  PacketHeader hs = init;
  hs.type = PacketType::kHandshake;
  ASSERT_TRUE(WritePacketHeader(hs, 2, 9, 30, &w, &pn_offset));
  ASSERT_TRUE(w.WriteZeros(30));
  const size_t second_end = w.length();
  PacketHeader one;
  one.type = PacketType::kOneRtt;
  one.dcid = init.dcid;
  ASSERT_TRUE(WritePacketHeader(one, 1, 3, 20, &w, &pn_offset));
  ASSERT_TRUE(w.WriteZeros(20));
  datagram.resize(w.length());

  DatagramPackets split = SplitDatagram(datagram, 5);
  EXPECT_TRUE(split.trailing_error.ok()) << split.trailing_error;
  ASSERT_EQ(split.packets.size(), 3u);
  EXPECT_EQ(split.packets[0].type, PacketType::kInitial);
  EXPECT_EQ(Bytes(split.packets[0].token.begin(), split.packets[0].token.end()),
            token);
  EXPECT_EQ(split.packets[0].packet.size(), first_size);
  EXPECT_EQ(split.packets[1].type, PacketType::kHandshake);
  EXPECT_EQ(split.packets[1].packet.data(), datagram.data() + first_size);
  EXPECT_EQ(split.packets[2].type, PacketType::kOneRtt);
  EXPECT_EQ(split.packets[2].packet.data(), datagram.data() + second_end);
  EXPECT_EQ(split.packets[2].pn_offset, 6u);

  // Trailing junk (e.g. zero padding) stops the split but keeps the rest.
  Bytes padded(datagram.begin(), datagram.begin() + second_end);
  padded.resize(padded.size() + 10, 0);
  DatagramPackets split2 = SplitDatagram(padded, 5);
  EXPECT_EQ(split2.packets.size(), 2u);
  EXPECT_FALSE(split2.trailing_error.ok());

  // A coalesced packet with another DCID ends the split.
  Bytes other(datagram.begin(), datagram.begin() + second_end);
  other[first_size + 6] ^= 0xff;  // first DCID byte of the 2nd packet
  DatagramPackets split3 = SplitDatagram(other, 5);
  EXPECT_EQ(split3.packets.size(), 1u);
  EXPECT_FALSE(split3.trailing_error.ok());
}

TEST(PacketHeaderTest, VersionNegotiationRoundTrip) {
  const ConnectionId dcid(FromHex("0102")), scid(FromHex("030405"));
  const uint32_t versions[] = {kQuicVersion1, 0x1a2a3a4a};
  const Bytes vn = BuildVersionNegotiationPacket(0x55, dcid, scid, versions);
  EXPECT_EQ(vn, FromHex("d5 00000000 02 0102 03 030405 00000001 1a2a3a4a"));
  absl::StatusOr<PacketHeader> h = ParsePacketHeader(vn, 0);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->type, PacketType::kVersionNegotiation);
  EXPECT_EQ(h->dcid, dcid);
  EXPECT_EQ(h->scid, scid);
  EXPECT_EQ(VersionNegotiationVersions(*h),
            (std::vector<uint32_t>{kQuicVersion1, 0x1a2a3a4a}));
  EXPECT_TRUE(IsReservedVersion(0x1a2a3a4a));
  Bytes odd = vn;
  odd.pop_back();
  EXPECT_FALSE(ParsePacketHeader(odd, 0).ok());
}

TEST(PacketHeaderTest, UnsupportedVersionIsReportedNotRejected) {
  const Bytes p = FromHex("c0 1a2a3a4a 04 01020304 00 ffffffff");
  absl::StatusOr<PacketHeader> h = ParsePacketHeader(p, 0);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->type, PacketType::kUnsupportedVersion);
  EXPECT_EQ(h->version, 0x1a2a3a4au);
  EXPECT_EQ(h->dcid.size(), 4u);
}

TEST(PacketHeaderTest, RejectsMalformedHeaders) {
  // Fixed bit clear.
  EXPECT_FALSE(ParsePacketHeader(FromHex("00 0102 03"), 2).ok());
  EXPECT_FALSE(
      ParsePacketHeader(FromHex("80 00000001 00 00 00 01 00"), 0).ok());
  // DCID longer than 20 in v1.
  Bytes long_cid = FromHex("c0 00000001 15");
  long_cid.resize(long_cid.size() + 40, 0);
  EXPECT_FALSE(ParsePacketHeader(long_cid, 0).ok());
  // Length past the end / zero.
  EXPECT_FALSE(ParsePacketHeader(FromHex("e0 00000001 00 00 05 0000"), 0).ok());
  EXPECT_FALSE(ParsePacketHeader(FromHex("e0 00000001 00 00 00"), 0).ok());
  // Retry shorter than its tag.
  EXPECT_FALSE(ParsePacketHeader(FromHex("f0 00000001 00 00 0102"), 0).ok());
  absl::Status s = ParsePacketHeader({}, 0).status();
  EXPECT_EQ(QuicErrorCodeOf(s), Code(TransportError::kProtocolViolation));
}

TEST(PacketHeaderTest, EveryTruncationOfLongHeadersFails) {
  for (const char* hex :
       {rfc9001::kClientInitialPacket, rfc9001::kServerInitialPacket,
        rfc9001::kRetryPacket}) {
    const Bytes packet = FromHex(hex);
    ASSERT_TRUE(ParsePacketHeader(packet, 0).ok());
    for (size_t len = 0; len < packet.size(); ++len) {
      Bytes prefix(packet.begin(), packet.begin() + len);
      absl::StatusOr<PacketHeader> h = ParsePacketHeader(prefix, 0);
      if (h.ok()) {
        // Only a Retry can be cut and still parse (shorter token).
        EXPECT_EQ(h->type, PacketType::kRetry);
        EXPECT_LE(h->packet.size(), len);
      }
    }
  }
  // Short header: needs first byte, DCID and at least one PN byte.
  const Bytes short_packet = FromHex("41 0102030405060708 aa");
  for (size_t len = 0; len < short_packet.size(); ++len) {
    EXPECT_FALSE(
        ParsePacketHeader(absl::MakeConstSpan(short_packet.data(), len), 8)
            .ok());
  }
  EXPECT_TRUE(ParsePacketHeader(short_packet, 8).ok());
}

TEST(PacketHeaderTest, ReservedBits) {
  EXPECT_TRUE(CheckReservedBits(true, 0xc3).ok());
  EXPECT_FALSE(CheckReservedBits(true, 0xc4).ok());
  EXPECT_FALSE(CheckReservedBits(false, 0x48).ok());
  EXPECT_TRUE(CheckReservedBits(false, 0x67).ok());
  EXPECT_EQ(QuicErrorCodeOf(CheckReservedBits(false, 0x50)),
            Code(TransportError::kProtocolViolation));
  EXPECT_EQ(PacketNumberLengthOf(0xc3), 4u);
  EXPECT_TRUE(KeyPhaseOf(0x44));
}

}  // namespace
}  // namespace quicsim::endpoints
