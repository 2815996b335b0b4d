#include "endpoints/packet_protection.h"

#include <vector>

#include "endpoints/frames.h"
#include "endpoints/packet_header.h"
#include "endpoints/rfc9001_vectors.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

using rfc9001::FromHex;
using Bytes = std::vector<uint8_t>;

Bytes ToBytes(absl::Span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }

ConnectionId Dcid() { return ConnectionId(FromHex(rfc9001::kDcid)); }

TEST(PacketProtectionTest, A1InitialKeys) {
  const InitialSecrets secrets = DeriveInitialSecrets(Dcid());
  EXPECT_EQ(ToBytes(secrets.client), FromHex(rfc9001::kClientInitialSecret));
  EXPECT_EQ(ToBytes(secrets.server), FromHex(rfc9001::kServerInitialSecret));
  auto client = PacketProtector::CreateInitial(Dcid(), Perspective::kClient);
  EXPECT_EQ(ToBytes(client->key()), FromHex(rfc9001::kClientKey));
  EXPECT_EQ(ToBytes(client->iv()), FromHex(rfc9001::kClientIv));
  EXPECT_EQ(ToBytes(client->hp_key()), FromHex(rfc9001::kClientHp));
  auto server = PacketProtector::CreateInitial(Dcid(), Perspective::kServer);
  EXPECT_EQ(ToBytes(server->key()), FromHex(rfc9001::kServerKey));
  EXPECT_EQ(ToBytes(server->iv()), FromHex(rfc9001::kServerIv));
  EXPECT_EQ(ToBytes(server->hp_key()), FromHex(rfc9001::kServerHp));
}

// Seals `header` + `payload` and returns the protected packet.
Bytes Seal(const PacketProtector& p, const Bytes& header, const Bytes& payload,
           size_t pn_length, uint64_t pn) {
  Bytes buf = header;
  buf.insert(buf.end(), payload.begin(), payload.end());
  buf.resize(buf.size() + kAeadTagLength);
  absl::StatusOr<size_t> n =
      p.SealPacket(absl::MakeSpan(buf), header.size() - pn_length, pn_length,
                   pn, payload.size());
  EXPECT_TRUE(n.ok()) << n.status();
  if (!n.ok()) return {};
  buf.resize(*n);
  return buf;
}

TEST(PacketProtectionTest, A2ClientInitial) {
  auto client = PacketProtector::CreateInitial(Dcid(), Perspective::kClient);
  Bytes payload = FromHex(rfc9001::kClientCryptoFrame);
  payload.resize(1162, 0x00);
  const Bytes packet =
      Seal(*client, FromHex(rfc9001::kClientInitialHeader), payload, 4, 2);
  EXPECT_EQ(packet, FromHex(rfc9001::kClientInitialPacket));

  // The server opens it with the client's keys (two-step header parse).
  Bytes received = FromHex(rfc9001::kClientInitialPacket);
  absl::StatusOr<PacketHeader> header = ParsePacketHeader(received, 8);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->pn_offset, 18u);
  auto receiver =
      PacketProtector::CreateInitial(header->dcid, Perspective::kClient);
  absl::StatusOr<OpenedPacket> opened = receiver->OpenPacket(
      absl::MakeSpan(received).subspan(0, header->packet.size()),
      header->pn_offset, std::nullopt);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->packet_number, 2u);
  EXPECT_EQ(opened->pn_length, 4u);
  EXPECT_EQ(opened->first_byte, 0xc3);
  EXPECT_TRUE(CheckReservedBits(true, opened->first_byte).ok());
  EXPECT_EQ(ToBytes(opened->header), FromHex(rfc9001::kClientInitialHeader));
  EXPECT_EQ(ToBytes(opened->payload), payload);
  absl::StatusOr<std::vector<Frame>> frames =
      ParseFrames(opened->payload, EncryptionLevel::kInitial);
  ASSERT_TRUE(frames.ok()) << frames.status();
  ASSERT_EQ(frames->size(), 2u);
  EXPECT_EQ(std::get<CryptoFrame>((*frames)[0]).data.size(), 241u);
  EXPECT_EQ(std::get<PaddingFrame>((*frames)[1]).length, 1162u - 245u);
}

TEST(PacketProtectionTest, A3ServerInitial) {
  auto server = PacketProtector::CreateInitial(Dcid(), Perspective::kServer);
  const Bytes payload = FromHex(rfc9001::kServerInitialPayload);
  EXPECT_EQ(
      Seal(*server, FromHex(rfc9001::kServerInitialHeader), payload, 2, 1),
      FromHex(rfc9001::kServerInitialPacket));
  Bytes received = FromHex(rfc9001::kServerInitialPacket);
  absl::StatusOr<PacketHeader> header = ParsePacketHeader(received, 0);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->scid, ConnectionId(FromHex(rfc9001::kServerScid)));
  absl::StatusOr<OpenedPacket> opened =
      server->OpenPacket(absl::MakeSpan(received), header->pn_offset, 0);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->packet_number, 1u);
  EXPECT_EQ(ToBytes(opened->payload), payload);
  absl::StatusOr<std::vector<Frame>> frames =
      ParseFrames(opened->payload, EncryptionLevel::kInitial);
  ASSERT_TRUE(frames.ok());
  const AckFrame& ack = std::get<AckFrame>((*frames)[0]);
  EXPECT_EQ(ack.largest_acked(), 0u);
  EXPECT_EQ(std::get<CryptoFrame>((*frames)[1]).data.size(), 90u);
}

TEST(PacketProtectionTest, A4Retry) {
  const Bytes retry = FromHex(rfc9001::kRetryPacket);
  EXPECT_TRUE(VerifyRetryIntegrityTag(retry, Dcid()));
  EXPECT_FALSE(VerifyRetryIntegrityTag(retry, ConnectionId()));
  const std::string token = "token";
  const Bytes built = BuildRetryPacket(
      ConnectionId(), ConnectionId(FromHex(rfc9001::kServerScid)),
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(token.data()),
                          token.size()),
      Dcid(), 0x0f);
  EXPECT_EQ(built, retry);
  absl::StatusOr<PacketHeader> header = ParsePacketHeader(retry, 0);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->type, PacketType::kRetry);
  EXPECT_EQ(std::string(header->token.begin(), header->token.end()), "token");
  for (size_t i = 0; i < retry.size(); ++i) {
    Bytes bad = retry;
    bad[i] ^= 0x01;
    EXPECT_FALSE(VerifyRetryIntegrityTag(bad, Dcid())) << i;
  }
  EXPECT_FALSE(VerifyRetryIntegrityTag(Bytes(10), Dcid()));
}

TEST(PacketProtectionTest, A5ChaChaShortHeader) {
  auto p = PacketProtector::Create(CipherSuite::kChaCha20Poly1305Sha256,
                                   FromHex(rfc9001::kChaChaSecret));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(ToBytes((*p)->key()), FromHex(rfc9001::kChaChaKey));
  EXPECT_EQ(ToBytes((*p)->iv()), FromHex(rfc9001::kChaChaIv));
  EXPECT_EQ(ToBytes((*p)->hp_key()), FromHex(rfc9001::kChaChaHp));
  absl::StatusOr<Bytes> ku = DeriveNextSecret(
      CipherSuite::kChaCha20Poly1305Sha256, FromHex(rfc9001::kChaChaSecret));
  ASSERT_TRUE(ku.ok());
  EXPECT_EQ(*ku, FromHex(rfc9001::kChaChaKu));
  uint8_t nonce[12];
  (*p)->MakeNonce(rfc9001::kChaChaPacketNumber, nonce);
  EXPECT_EQ(Bytes(nonce, nonce + 12), FromHex(rfc9001::kChaChaNonce));
  const Bytes packet = Seal(**p, FromHex(rfc9001::kChaChaHeader), Bytes{0x01},
                            3, rfc9001::kChaChaPacketNumber);
  EXPECT_EQ(packet, FromHex(rfc9001::kChaChaPacket));

  Bytes received = FromHex(rfc9001::kChaChaPacket);
  absl::StatusOr<PacketHeader> header = ParsePacketHeader(received, 0);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->type, PacketType::kOneRtt);
  absl::StatusOr<OpenedPacket> opened =
      (*p)->OpenPacket(absl::MakeSpan(received), header->pn_offset,
                       rfc9001::kChaChaPacketNumber - 1);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->packet_number, rfc9001::kChaChaPacketNumber);
  EXPECT_EQ(ToBytes(opened->payload), Bytes{0x01});
  EXPECT_FALSE(KeyPhaseOf(opened->first_byte));
}

TEST(PacketProtectionTest, Aes256RoundTripAndSuiteChecks) {
  const Bytes secret(48, 0x5a);
  auto p = PacketProtector::Create(CipherSuite::kAes256GcmSha384, secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->key().size(), 32u);
  EXPECT_FALSE(
      PacketProtector::Create(CipherSuite::kAes256GcmSha384, Bytes(32)).ok());
  EXPECT_FALSE(CipherSuiteFromId(0x1304).ok());
  EXPECT_EQ(*CipherSuiteFromId(0x1302), CipherSuite::kAes256GcmSha384);
  PacketHeader h;
  h.type = PacketType::kHandshake;
  h.version = kQuicVersion1;
  h.dcid = ConnectionId(FromHex("0102030405"));
  h.scid = ConnectionId(FromHex("aabb"));
  Bytes buf(200);
  QuicDataWriter w(absl::MakeSpan(buf));
  size_t pn_offset;
  const Bytes payload = {0x01, 0x00, 0x00, 0x00, 0x00, 0x1e};
  ASSERT_TRUE(WritePacketHeader(h, 2, 300, payload.size() + kAeadTagLength, &w,
                                &pn_offset));
  ASSERT_TRUE(w.WriteBytes(payload));
  absl::StatusOr<size_t> n =
      (*p)->SealPacket(absl::MakeSpan(buf), pn_offset, 2, 300, payload.size());
  ASSERT_TRUE(n.ok()) << n.status();
  buf.resize(*n);
  absl::StatusOr<PacketHeader> parsed = ParsePacketHeader(buf, 0);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->packet.size(), buf.size());
  absl::StatusOr<OpenedPacket> opened =
      (*p)->OpenPacket(absl::MakeSpan(buf), parsed->pn_offset, 299);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->packet_number, 300u);
  EXPECT_EQ(ToBytes(opened->payload), payload);
}

TEST(PacketProtectionTest, RejectsTamperedAndTruncatedPackets) {
  auto receiver = PacketProtector::CreateInitial(Dcid(), Perspective::kClient);
  const Bytes good = FromHex(rfc9001::kClientInitialPacket);
  for (size_t i : {0, 5, 18, 20, 40, 600, 1199}) {
    Bytes bad = good;
    bad[i] ^= 0x40;
    absl::StatusOr<PacketHeader> h = ParsePacketHeader(bad, 8);
    if (!h.ok()) continue;
    Bytes copy(h->packet.begin(), h->packet.end());
    auto opened = receiver->OpenPacket(absl::MakeSpan(copy), h->pn_offset, 1);
    EXPECT_FALSE(opened.ok()) << i;
  }
  for (size_t len = 0; len < good.size(); ++len) {
    Bytes prefix(good.begin(), good.begin() + len);
    absl::StatusOr<PacketHeader> h = ParsePacketHeader(prefix, 8);
    EXPECT_FALSE(h.ok()) << len;  // Length field exceeds the datagram.
    Bytes copy = prefix;
    if (len > 18) {
      EXPECT_FALSE(receiver->OpenPacket(absl::MakeSpan(copy), 18, 1).ok());
    }
  }
}

}  // namespace
}  // namespace quicsim::endpoints

namespace quicsim::endpoints {
namespace {

TEST(PacketProtectorPairTest, PairMatchesSeparateInitialKeys) {
  const uint8_t dcid_bytes[8] = {0x83, 0x94, 0xc8, 0xf0,
                                 0x3e, 0x51, 0x57, 0x08};
  const ConnectionId dcid(dcid_bytes);
  PacketProtector::InitialPair client =
      PacketProtector::CreateInitialPair(dcid, Perspective::kClient);
  auto client_write =
      PacketProtector::CreateInitial(dcid, Perspective::kClient);
  auto server_write =
      PacketProtector::CreateInitial(dcid, Perspective::kServer);
  EXPECT_EQ(std::vector<uint8_t>(client.write->key().begin(),
                                 client.write->key().end()),
            std::vector<uint8_t>(client_write->key().begin(),
                                 client_write->key().end()));
  EXPECT_EQ(std::vector<uint8_t>(client.read->hp_key().begin(),
                                 client.read->hp_key().end()),
            std::vector<uint8_t>(server_write->hp_key().begin(),
                                 server_write->hp_key().end()));
  PacketProtector::InitialPair server =
      PacketProtector::CreateInitialPair(dcid, Perspective::kServer);
  EXPECT_EQ(std::vector<uint8_t>(server.write->iv().begin(),
                                 server.write->iv().end()),
            std::vector<uint8_t>(server_write->iv().begin(),
                                 server_write->iv().end()));
}

}  // namespace
}  // namespace quicsim::endpoints
