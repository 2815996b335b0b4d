#include <string>
#include <vector>

#include "endpoints/packet_number.h"
#include "endpoints/quic_data_reader.h"
#include "endpoints/quic_data_writer.h"
#include "gtest/gtest.h"

namespace quicsim::endpoints {
namespace {

std::vector<uint8_t> Hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(
        static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// RFC 9000 Appendix A.1 sample varint decodings.
TEST(VarIntTest, DecodesRfc9000Samples) {
  struct Case {
    const char* hex;
    uint64_t value;
  } cases[] = {{"c2197c5eff14e88c", 151288809941952652ull},
               {"9d7f3e7d", 494878333},
               {"7bbd", 15293},
               {"25", 37},
               {"4025", 37}};
  for (const Case& c : cases) {
    std::vector<uint8_t> bytes = Hex(c.hex);
    QuicDataReader reader(bytes);
    uint64_t v;
    ASSERT_TRUE(reader.ReadVarInt62(&v)) << c.hex;
    EXPECT_EQ(v, c.value) << c.hex;
    EXPECT_TRUE(reader.empty());
  }
}

TEST(VarIntTest, MinimalWriterMatchesRfcEncodings) {
  uint8_t buf[8];
  struct Case {
    uint64_t value;
    const char* hex;
  } cases[] = {{151288809941952652ull, "c2197c5eff14e88c"},
               {494878333, "9d7f3e7d"},
               {15293, "7bbd"},
               {37, "25"}};
  for (const Case& c : cases) {
    QuicDataWriter w(absl::MakeSpan(buf));
    ASSERT_TRUE(w.WriteVarInt62(c.value));
    EXPECT_EQ(std::vector<uint8_t>(buf, buf + w.length()), Hex(c.hex));
  }
}

TEST(VarIntTest, LengthBoundaries) {
  EXPECT_EQ(VarIntLength(0), 1u);
  EXPECT_EQ(VarIntLength(63), 1u);
  EXPECT_EQ(VarIntLength(64), 2u);
  EXPECT_EQ(VarIntLength(16383), 2u);
  EXPECT_EQ(VarIntLength(16384), 4u);
  EXPECT_EQ(VarIntLength((1u << 30) - 1), 4u);
  EXPECT_EQ(VarIntLength(1u << 30), 8u);
  EXPECT_EQ(VarIntLength(kMaxVarInt62), 8u);
  EXPECT_EQ(VarIntLength(kMaxVarInt62 + 1), 0u);
  uint8_t buf[8];
  QuicDataWriter w(absl::MakeSpan(buf));
  EXPECT_FALSE(w.WriteVarInt62(kMaxVarInt62 + 1));
  EXPECT_EQ(w.length(), 0u);
}

TEST(VarIntTest, ForcedLengths) {
  uint8_t buf[16];
  QuicDataWriter w(absl::MakeSpan(buf));
  ASSERT_TRUE(w.WriteVarInt62WithLength(37, 2));
  ASSERT_TRUE(w.WriteVarInt62WithLength(37, 4));
  ASSERT_TRUE(w.WriteVarInt62WithLength(37, 8));
  EXPECT_EQ(std::vector<uint8_t>(buf, buf + w.length()),
            Hex("402580000025c000000000000025"));
  EXPECT_FALSE(w.WriteVarInt62WithLength(64, 1));
  EXPECT_FALSE(w.WriteVarInt62WithLength(16384, 2));
  EXPECT_FALSE(w.WriteVarInt62WithLength(1, 3));
  QuicDataReader r(absl::MakeConstSpan(buf, 14));
  for (int i = 0; i < 3; ++i) {
    uint64_t v;
    ASSERT_TRUE(r.ReadVarInt62(&v));
    EXPECT_EQ(v, 37u);
  }
}

TEST(VarIntTest, RoundTripsAndRejectsEveryTruncation) {
  const uint64_t values[] = {
      0, 1, 63, 64, 16383, 16384, (1u << 30) - 1, 1u << 30, kMaxVarInt62};
  for (uint64_t value : values) {
    uint8_t buf[8];
    QuicDataWriter w(absl::MakeSpan(buf));
    ASSERT_TRUE(w.WriteVarInt62(value));
    for (size_t len = 0; len < w.length(); ++len) {
      QuicDataReader r(absl::MakeConstSpan(buf, len));
      uint64_t v;
      EXPECT_FALSE(r.ReadVarInt62(&v));
      EXPECT_EQ(r.offset(), 0u);
    }
    QuicDataReader r(absl::MakeConstSpan(buf, w.length()));
    uint64_t v;
    ASSERT_TRUE(r.ReadVarInt62(&v));
    EXPECT_EQ(v, value);
  }
}

TEST(QuicDataTest, FixedWidthBigEndian) {
  uint8_t buf[18];
  QuicDataWriter w(absl::MakeSpan(buf));
  ASSERT_TRUE(w.WriteUInt8(0x01));
  ASSERT_TRUE(w.WriteUInt16(0x0203));
  ASSERT_TRUE(w.WriteUInt24(0x040506));
  ASSERT_TRUE(w.WriteUInt32(0x0708090a));
  ASSERT_TRUE(w.WriteUInt64(0x0b0c0d0e0f101112ull));
  EXPECT_EQ(w.remaining(), 0u);
  EXPECT_FALSE(w.WriteUInt8(0));
  EXPECT_FALSE(QuicDataWriter(absl::MakeSpan(buf)).WriteUInt24(1u << 24));
  for (int i = 0; i < 18; ++i) EXPECT_EQ(buf[i], i + 1);
  QuicDataReader r(buf);
  uint8_t a;
  uint16_t b;
  uint32_t c, d;
  uint64_t e;
  ASSERT_TRUE(r.ReadUInt8(&a) && r.ReadUInt16(&b) && r.ReadUInt24(&c) &&
              r.ReadUInt32(&d) && r.ReadUInt64(&e));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x040506u);
  EXPECT_EQ(d, 0x0708090au);
  EXPECT_EQ(e, 0x0b0c0d0e0f101112ull);
  EXPECT_FALSE(r.ReadUInt8(&a));
}

TEST(QuicDataTest, LengthPrefixedRejectsOverlongLength) {
  std::vector<uint8_t> ok = Hex("03aabbcc");
  std::vector<uint8_t> bad = Hex("04aabbcc");
  absl::Span<const uint8_t> out;
  QuicDataReader r1(ok);
  ASSERT_TRUE(r1.ReadVarIntLengthPrefixed(&out));
  EXPECT_EQ(out.size(), 3u);
  QuicDataReader r2(bad);
  EXPECT_FALSE(r2.ReadVarIntLengthPrefixed(&out));
  EXPECT_EQ(r2.offset(), 0u);
  QuicDataReader r3(bad);
  EXPECT_FALSE(r3.ReadUInt8LengthPrefixed(&out));
  EXPECT_FALSE(r3.Skip(5));
  EXPECT_TRUE(r3.Skip(4));
}

// RFC 9000 Appendix A.2 examples.
TEST(PacketNumberTest, EncodingLengthRfcExamples) {
  EXPECT_EQ(PacketNumberLength(0xac5c02, 0xabe8b3), 2u);
  EXPECT_EQ(PacketNumberLength(0xace8fe, 0xabe8b3), 3u);
  EXPECT_EQ(PacketNumberLength(0, std::nullopt), 1u);
  EXPECT_EQ(PacketNumberLength(127, std::nullopt), 1u);
  EXPECT_EQ(PacketNumberLength(128, std::nullopt), 2u);
  EXPECT_EQ(PacketNumberLength(uint64_t{1} << 40, 0), 4u);
  EXPECT_EQ(TruncatePacketNumber(0xac5c02, 2), 0x5c02u);
}

// RFC 9000 Appendix A.3 example and edge cases of §17.1.
TEST(PacketNumberTest, DecodingRfcExample) {
  EXPECT_EQ(DecodePacketNumber(0xa82f30ea, 0x9b32, 16), 0xa82f9b32u);
  EXPECT_EQ(DecodePacketNumber(std::nullopt, 0, 8), 0u);
  EXPECT_EQ(DecodePacketNumber(std::nullopt, 2, 32), 2u);
  // Wrap forward: expected 256, truncated 0x01 → 257.
  EXPECT_EQ(DecodePacketNumber(255, 0x01, 8), 257u);
  // Slightly older packet: expected 257, truncated 0xff → 255.
  EXPECT_EQ(DecodePacketNumber(256, 0xff, 8), 255u);
  // Never beyond 2^62 - 1.
  EXPECT_LE(DecodePacketNumber(kMaxPacketNumber - 1, 0, 8), kMaxPacketNumber);
}

TEST(PacketNumberTest, EncodeDecodeRoundTrip) {
  uint64_t largest_acked = 1000;
  for (uint64_t pn = 1001; pn < 200000; pn += 997) {
    const size_t len = PacketNumberLength(pn, largest_acked);
    // The receiver has seen at least largest_acked.
    EXPECT_EQ(DecodePacketNumber(largest_acked, TruncatePacketNumber(pn, len),
                                 8 * len),
              pn);
  }
}

}  // namespace
}  // namespace quicsim::endpoints
