#include "endpoints/packet_assembler.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "endpoints/packet_header.h"
#include "endpoints/packet_protection.h"
#include "endpoints/perspective.h"
#include "endpoints/types.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

const uint8_t kDcid[] = {1, 2, 3, 4, 5, 6, 7, 8};
const uint8_t kScid[] = {9, 10, 11, 12, 13, 14, 15, 16};
const uint8_t kToken[] = {0xaa, 0xbb, 0xcc};

PacketHeader Header(PacketType type) {
  PacketHeader header;
  header.type = type;
  header.version = kQuicVersion1;
  header.dcid = ConnectionId(kDcid);
  header.scid = ConnectionId(kScid);
  header.token = kToken;
  return header;
}

// Initial packets from the client, opened with the server's keys.
class PacketAssemblerTest : public ::testing::Test {
 protected:
  PacketProtector::InitialPair client_ = PacketProtector::CreateInitialPair(
      ConnectionId(kDcid), Perspective::kClient);
  PacketProtector::InitialPair server_ = PacketProtector::CreateInitialPair(
      ConnectionId(kDcid), Perspective::kServer);
};

TEST_F(PacketAssemblerTest, AppendedPacketsParseAndOpen) {
  std::vector<uint8_t> datagram(600);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  const std::vector<uint8_t> first(40, 0x01);  // PING frames
  const std::vector<uint8_t> second(25, 0x01);
  absl::StatusOr<size_t> a =
      assembler.Append(Header(PacketType::kInitial), 7, first, *client_.write);
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<size_t> b =
      assembler.Append(Header(PacketType::kInitial), 8, second, *client_.write);
  ASSERT_TRUE(b.ok()) << b.status();
  // Header length as predicted, payload, AEAD tag.
  const size_t header_len = PacketHeaderLength(
      EncryptionLevel::kInitial, sizeof(kDcid), sizeof(kScid), sizeof(kToken));
  EXPECT_EQ(*a, header_len + first.size() + kAeadTagLength);
  EXPECT_EQ(*b, header_len + second.size() + kAeadTagLength);
  EXPECT_EQ(assembler.length(), *a + *b);

  // Both packets come back out of the datagram with their numbers and
  // payloads.
  size_t offset = 0;
  const uint64_t expected_pn[] = {7, 8};
  const size_t expected_len[] = {first.size(), second.size()};
  for (int i = 0; i < 2; ++i) {
    absl::Span<uint8_t> rest =
        absl::MakeSpan(datagram).subspan(offset, assembler.length() - offset);
    absl::StatusOr<PacketHeader> parsed = ParsePacketHeader(rest, 8);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->type, PacketType::kInitial);
    EXPECT_EQ(parsed->dcid, ConnectionId(kDcid));
    EXPECT_EQ(parsed->scid, ConnectionId(kScid));
    EXPECT_EQ(std::vector<uint8_t>(parsed->token.begin(), parsed->token.end()),
              std::vector<uint8_t>(std::begin(kToken), std::end(kToken)));
    absl::Span<uint8_t> packet = rest.subspan(0, parsed->packet.size());
    absl::StatusOr<OpenedPacket> opened =
        server_.read->OpenPacket(packet, parsed->pn_offset, std::nullopt);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->packet_number, expected_pn[i]);
    EXPECT_EQ(opened->pn_length, kPacketNumberLength);
    EXPECT_EQ(opened->payload.size(), expected_len[i]);
    offset += packet.size();
  }
  EXPECT_EQ(offset, assembler.length());
}

TEST_F(PacketAssemblerTest, ShortHeaderLengthMatchesPrediction) {
  // 1-RTT packets carry only the DCID (sealed here with Initial keys: the
  // assembler does not care which keys).
  std::vector<uint8_t> datagram(200);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  const std::vector<uint8_t> payload(10, 0x01);
  absl::StatusOr<size_t> size =
      assembler.Append(Header(PacketType::kOneRtt), 3, payload, *client_.write);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(*size, PacketHeaderLength(EncryptionLevel::kOneRtt, sizeof(kDcid),
                                      sizeof(kScid), sizeof(kToken)) +
                       payload.size() + kAeadTagLength);
  EXPECT_EQ(datagram[0] & 0x80, 0);  // short header
}

TEST_F(PacketAssemblerTest, PacketBeyondBudgetIsNotAppended) {
  std::vector<uint8_t> datagram(600);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  const std::vector<uint8_t> payload(100, 0x01);
  absl::StatusOr<size_t> first = assembler.Append(
      Header(PacketType::kHandshake), 0, payload, *client_.write, 200);
  ASSERT_TRUE(first.ok());
  ASSERT_GT(*first, 0u);
  // A second packet of the same size would end beyond 200 bytes.
  absl::StatusOr<size_t> second = assembler.Append(
      Header(PacketType::kHandshake), 1, payload, *client_.write, 200);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0u);
  EXPECT_EQ(assembler.length(), *first);
}

TEST_F(PacketAssemblerTest, NoRoomIsAnError) {
  std::vector<uint8_t> datagram(60);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  const std::vector<uint8_t> payload(100, 0x01);
  absl::StatusOr<size_t> size = assembler.Append(Header(PacketType::kInitial),
                                                 0, payload, *client_.write);
  EXPECT_FALSE(size.ok());
  EXPECT_EQ(assembler.length(), 0u);
  // Room for the header and payload but not the AEAD tag.
  std::vector<uint8_t> tight(PacketHeaderLength(EncryptionLevel::kInitial,
                                                sizeof(kDcid), sizeof(kScid),
                                                sizeof(kToken)) +
                             payload.size());
  PacketAssembler tight_assembler(absl::MakeSpan(tight));
  EXPECT_FALSE(
      tight_assembler
          .Append(Header(PacketType::kInitial), 0, payload, *client_.write)
          .ok());
  EXPECT_EQ(tight_assembler.length(), 0u);
}

TEST_F(PacketAssemblerTest, PayloadTooShortToSampleIsAnError) {
  std::vector<uint8_t> datagram(200);
  PacketAssembler assembler(absl::MakeSpan(datagram));
  const std::vector<uint8_t> payload(1, 0x01);
  EXPECT_FALSE(
      assembler.Append(Header(PacketType::kInitial), 0, payload, *client_.write)
          .ok());
  EXPECT_EQ(assembler.length(), 0u);
}

}  // namespace
}  // namespace quicsim::endpoints
