#include "sim/wire_digest.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

TEST(WireDigestTest, EmptyIsTheSha256OfNothing) {
  // SHA-256("") (FIPS 180-2).
  EXPECT_EQ(WireDigest().DigestHex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(WireDigestTest, HashesTheDocumentedEncoding) {
  Datagram d;
  d.src = Address::V4(10, 0, 0, 1, 443);
  d.dst = Address::V4(10, 0, 0, 2, 4433);
  d.payload = {0xc0, 0x00};
  WireDigest w;
  w.Add(Time::FromNanos(0x0102), d);
  // Hand-encoded: time, src ip/port, dst ip/port, length, payload.
  const uint8_t expected_input[] = {0,    0,    0, 0, 0,    0,
                                    0x01, 0x02,                    // time
                                    10,   0,    0, 1, 0x01, 0xbb,  // src
                                    10,   0,    0, 2, 0x11, 0x51,  // dst
                                    0,    0,    0, 2,              // length
                                    0xc0, 0x00};
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(expected_input, sizeof(expected_input), digest);
  EXPECT_EQ(w.DigestHex(),
            absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(digest), sizeof(digest))));
}

TEST(WireDigestTest, OneFlippedBitChangesIt) {
  Datagram d;
  d.payload = std::vector<uint8_t>(1200, 7);
  WireDigest a, b;
  for (int i = 0; i < 200; ++i) {  // crosses the hashing batch size
    a.Add(Time::FromNanos(i), d);
    Datagram e = d;
    if (i == 150) e.payload[600] ^= 1;
    b.Add(Time::FromNanos(i), e);
  }
  EXPECT_NE(a.DigestHex(), b.DigestHex());
  WireDigest c;
  for (int i = 0; i < 200; ++i) c.Add(Time::FromNanos(i), d);
  EXPECT_EQ(a.DigestHex(), c.DigestHex());
}

}  // namespace
}  // namespace quicsim::sim
